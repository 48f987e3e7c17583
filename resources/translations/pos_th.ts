<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH" sourcelanguage="en">
    <context>
        <name>pos</name>
        <message>
            <location filename="../../pos_app/cli/__init__.py" line="74"></location>
            <source>Error: {message}</source>
            <translation>ผิดพลาด: {message}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="594"></location>
            <source>Per reward</source>
            <translation>แยกตามของรางวัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="101"></location>
            <source>Member  {name}</source>
            <translation>สมาชิก    {name}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="102"></location>
            <source>Id      {id}</source>
            <translation>รหัส      {id}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="103"></location>
            <source>Card    {card}</source>
            <translation>บัตร      {card}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="104"></location>
            <source>Phone   {phone}</source>
            <translation>โทรศัพท์  {phone}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="105"></location>
            <source>Tier    {tier}</source>
            <translation>ระดับ     {tier}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="106"></location>
            <source>Points  {points:,}</source>
            <translation>แต้ม      {points:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="169"></location>
            <source>Terminal ready in {path} (terminal {id}).</source>
            <translation>เครื่องพร้อมใช้งานที่ {path} (เครื่อง {id})</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="284"></location>
            <source>A category line is written CATEGORY=AMOUNT, e.g. beverages=120.00</source>
            <translation>รายการหมวดสินค้าเขียนแบบ หมวด=ยอดเงิน เช่น beverages=120.00</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="438"></location>
            <source>a discount of {amount}</source>
            <translation>ส่วนลด {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="499"></location>
            <source>Adjusted {name} by {points:+,} points. Balance {before:,} -&gt; {after:,}.</source>
            <translation>ปรับแต้มของ {name} {points:+,} แต้ม ยอดแต้ม {before:,} -&gt; {after:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="555"></location>
            <source>{name}: {points:,} points</source>
            <translation>{name}: {points:,} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="571"></location>
            <location filename="../../sync/server/console/templates/member.html" line="72"></location>
            <source>No entries yet.</source>
            <translation>ยังไม่มีรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="588"></location>
            <location filename="../../pos_app/services/reports.py" line="330"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="112"></location>
            <source>Awards</source>
            <translation>การให้แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="588"></location>
            <location filename="../../pos_app/ui/presenters/flags.py" line="110"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="185"></location>
            <location filename="../../pos_app/ui/screens/redeem.py" line="98"></location>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="11"></location>
            <location filename="../../sync/server/console/templates/reward_form.html" line="15"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="10"></location>
            <source>Points</source>
            <translation>แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="588"></location>
            <location filename="../../pos_app/services/reports.py" line="330"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="112"></location>
            <source>Sales</source>
            <translation>ยอดขาย</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="588"></location>
            <location filename="../../pos_app/ui/presenters/history.py" line="20"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="21"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="36"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="42"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="21"></location>
            <source>Redeemed</source>
            <translation>แลกแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="589"></location>
            <source>Per cashier</source>
            <translation>แยกตามแคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="589"></location>
            <source>Per hour</source>
            <translation>แยกตามชั่วโมง</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="644"></location>
            <source>Added {name} ({role}), id {id}.</source>
            <translation>เพิ่ม {name} ({role}) แล้ว รหัส {id}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="742"></location>
            <source>Reward {code} saved.</source>
            <translation>บันทึกของรางวัล {code} แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="917"></location>
            <source>Backup written to {path}.</source>
            <translation>สำรองข้อมูลไว้ที่ {path} แล้ว</translation>
        </message>
        <message>
            <source>Restored. The replaced file was kept as {path}.</source>
            <translation type="obsolete">กู้คืนเรียบร้อย ไฟล์เดิมเก็บไว้ที่ {path}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="109"></location>
            <source>{points:,} points expire within 30 days</source>
            <translation>{points:,} แต้มจะหมดอายุภายใน 30 วัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="193"></location>
            <source>Enrolled.</source>
            <translation>สมัครสมาชิกเรียบร้อย</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="228"></location>
            <location filename="../../pos_app/services/identify.py" line="89"></location>
            <source>No member with phone {phone}.</source>
            <translation>ไม่พบสมาชิกเบอร์ {phone}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="305"></location>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="316"></location>
            <source>{amount} would earn {points:,} points for {name}.</source>
            <translation>ยอด {amount} จะได้ {points:,} แต้มสำหรับ {name}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="338"></location>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="441"></location>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="536"></location>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="108"></location>
            <source> (already recorded)</source>
            <translation> (บันทึกไว้แล้ว)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="477"></location>
            <source>Return of {amount} on receipt {receipt}: {clawed:,} points taken back, {restored:,} restored. Balance {before:,} -&gt; {after:,}.</source>
            <translation>คืนสินค้า {amount} ใบเสร็จ {receipt}: หักแต้มคืน {clawed:,} แต้ม คืนแต้มให้ {restored:,} แต้ม ยอดแต้ม {before:,} -&gt; {after:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="587"></location>
            <source>Daily report {date}</source>
            <translation>รายงานประจำวัน {date}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="597"></location>
            <source>Total: {awards:,} awards, {pa:,} points on {sales}; {red:,} redemptions, {pr:,} points</source>
            <translation>รวม: ให้แต้ม {awards:,} ครั้ง {pa:,} แต้ม จากยอดขาย {sales}; แลกแต้ม {red:,} ครั้ง {pr:,} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="769"></location>
            <source>No terminal in {path}: run 'pos-terminal init' first.</source>
            <translation>ไม่พบข้อมูลเครื่องใน {path}: สั่ง 'pos-terminal init' ก่อน</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="809"></location>
            <source>terminal {id}, mode {mode}, {n} records waiting to upload</source>
            <translation>เครื่อง {id} โหมด {mode} รอส่งขึ้นเซิร์ฟเวอร์ {n} รายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="931"></location>
            <source>Replace the ledger in {path} with a backup?</source>
            <translation>แทนที่ข้อมูลแต้มใน {path} ด้วยข้อมูลสำรองหรือไม่?</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="343"></location>
            <source>{name} earned {points:,} points on {amount} (receipt {receipt}). Balance {before:,} -&gt; {after:,}.</source>
            <translation>{name} ได้ {points:,} แต้ม จากยอด {amount} (ใบเสร็จ {receipt}) ยอดแต้ม {before:,} -&gt; {after:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="439"></location>
            <source>{name} redeemed {points:,} points for {what}. Balance {before:,} -&gt; {after:,}.</source>
            <translation>{name} แลก {points:,} แต้ม เป็น{what} ยอดแต้ม {before:,} -&gt; {after:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/ui_cmds.py" line="43"></location>
            <source>No display found: the counter window needs a screen. On a server or in CI run it as 'xvfb-run -a pos-terminal app'.</source>
            <translation>ไม่พบจอแสดงผล: หน้าจอขายต้องใช้จอภาพ บนเซิร์ฟเวอร์หรือ CI ให้สั่ง 'xvfb-run -a pos-terminal app'</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/ui_cmds.py" line="54"></location>
            <source>The counter window cannot start: {error}</source>
            <translation>เปิดหน้าจอขายไม่ได้: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="109"></location>
            <source>The grant time</source>
            <translation>เวลาที่ได้แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="307"></location>
            <location filename="../../pos_app/core/expiry.py" line="315"></location>
            <location filename="../../pos_app/core/expiry.py" line="328"></location>
            <location filename="../../pos_app/core/tiers.py" line="52"></location>
            <location filename="../../pos_app/core/tiers.py" line="61"></location>
            <source>The current time</source>
            <translation>เวลาปัจจุบัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="119"></location>
            <location filename="../../pos_app/core/returns.py" line="64"></location>
            <source>Give the redeemed points as a positive number.</source>
            <translation>ระบุแต้มที่แลกเป็นจำนวนบวก</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="317"></location>
            <source>The number of days must be zero or more.</source>
            <translation>จำนวนวันต้องเป็น 0 ขึ้นไป</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="76"></location>
            <source>A ledger entry needs an id.</source>
            <translation>รายการแต้มต้องมีรหัส</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="80"></location>
            <location filename="../../pos_app/core/tiers.py" line="28"></location>
            <source>Points must be a whole number.</source>
            <translation>แต้มต้องเป็นจำนวนเต็ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="82"></location>
            <source>An earn entry cannot take points away.</source>
            <translation>รายการสะสมแต้มหักแต้มไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="92"></location>
            <source>An entry cannot correct itself.</source>
            <translation>รายการแก้ไขตัวเองไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="93"></location>
            <source>The entry time</source>
            <translation>เวลาของรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="253"></location>
            <source>Ledger moves must be LedgerMove values.</source>
            <translation>รายการเคลื่อนไหวต้องเป็นค่า LedgerMove</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="78"></location>
            <source>Unknown kind of ledger entry “{kind}”.</source>
            <translation>ไม่รู้จักรายการแต้มประเภท “{kind}”</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="85"></location>
            <source>A {kind} entry cannot add points.</source>
            <translation>รายการประเภท {kind} เพิ่มแต้มไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="89"></location>
            <source>A {kind} entry must name the entry it corrects.</source>
            <translation>รายการประเภท {kind} ต้องระบุรายการที่แก้ไข</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/expiry.py" line="256"></location>
            <source>The ledger holds the entry {id} twice.</source>
            <translation>ข้อมูลแต้มมีรายการ {id} ซ้ำสองครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="139"></location>
            <source>This member code is not genuine (its signature does not match). Do not award points; look the member up by phone number instead.</source>
            <translation>รหัสสมาชิกนี้ไม่ใช่ของจริง (ลายเซ็นไม่ตรง) ห้ามให้แต้ม ให้ค้นหาสมาชิกด้วยเบอร์โทรแทน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="146"></location>
            <source>This is not a member code. Scan the member's card or the code in the member app.</source>
            <translation>นี่ไม่ใช่รหัสสมาชิก สแกนบัตรสมาชิกหรือรหัสในแอปสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="151"></location>
            <source>Only part of the member code was read. Scan it again and hold it steady.</source>
            <translation>อ่านรหัสสมาชิกได้ไม่ครบ สแกนใหม่และถือให้นิ่ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="165"></location>
            <source>This member code comes from a newer system version. Update the terminal software.</source>
            <translation>รหัสสมาชิกนี้มาจากระบบรุ่นใหม่กว่า อัปเดตโปรแกรมของเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="180"></location>
            <source>This member code is not valid yet. Check the date and time of this terminal.</source>
            <translation>รหัสสมาชิกนี้ยังไม่ถึงเวลาใช้ ตรวจวันที่และเวลาของเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="187"></location>
            <source>This app code is too old. Ask the member to open the app and show the current code (and to check the time on their phone).</source>
            <translation>รหัสในแอปเก่าเกินไป ขอให้สมาชิกเปิดแอปแสดงรหัสล่าสุด (และตรวจเวลาในโทรศัพท์)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="195"></location>
            <source>The member app needs renewing: ask the member to connect the app to the internet once, or look them up by phone number.</source>
            <translation>แอปสมาชิกต้องต่ออายุ: ขอให้สมาชิกต่ออินเทอร์เน็ตหนึ่งครั้ง หรือค้นหาด้วยเบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="211"></location>
            <source>This app code was already used. Ask the member to show the current code in the app.</source>
            <translation>รหัสในแอปนี้ใช้ไปแล้ว ขอให้สมาชิกแสดงรหัสล่าสุดในแอป</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="642"></location>
            <source>A card number has 16 digits. Check the number and type it again.</source>
            <translation>หมายเลขบัตรมี 16 หลัก ตรวจแล้วพิมพ์ใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="646"></location>
            <source>This card number is not valid (the check digit does not match). Check the number and type it again.</source>
            <translation>หมายเลขบัตรไม่ถูกต้อง (เลขตรวจสอบไม่ตรง) ตรวจแล้วพิมพ์ใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="157"></location>
            <source>This member code was signed with a key this terminal does not know ({key_id}). Sync the terminal, then scan again.</source>
            <translation>รหัสสมาชิกนี้ลงนามด้วยกุญแจที่เครื่องนี้ไม่รู้จัก ({key_id}) ซิงก์เครื่องแล้วสแกนใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="172"></location>
            <source>This member code expired on {date}. Ask the member for a new card, or look them up by phone number.</source>
            <translation>รหัสสมาชิกนี้หมดอายุเมื่อ {date} ขอบัตรใหม่จากสมาชิก หรือค้นหาด้วยเบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="113"></location>
            <location filename="../../pos_app/core/money.py" line="68"></location>
            <location filename="../../pos_app/core/money.py" line="72"></location>
            <source>Enter an amount, for example 1,000.50.</source>
            <translation>ใส่ยอดเงิน เช่น 1,000.50</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="124"></location>
            <location filename="../../pos_app/core/money.py" line="82"></location>
            <source>The amount cannot be negative.</source>
            <translation>ยอดเงินติดลบไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/money.py" line="91"></location>
            <source>An amount has at most 2 decimal places (satang), for example 12.34.</source>
            <translation>ยอดเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (สตางค์) เช่น 12.34</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="137"></location>
            <location filename="../../pos_app/core/money.py" line="95"></location>
            <source>Check the thousands separators: write 1,000.50 or 1000.50.</source>
            <translation>ตรวจเครื่องหมายจุลภาค: เขียน 1,000.50 หรือ 1000.50</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="142"></location>
            <location filename="../../pos_app/core/money.py" line="113"></location>
            <source>The bill amount must be more than zero.</source>
            <translation>ยอดซื้อต้องมากกว่าศูนย์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="190"></location>
            <location filename="../../pos_app/core/money.py" line="75"></location>
            <location filename="../../pos_app/core/money.py" line="101"></location>
            <source>The amount is too large: at most {limit} per receipt.</source>
            <translation>ยอดเงินสูงเกินไป: ไม่เกิน {limit} ต่อใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="127"></location>
            <location filename="../../pos_app/core/money.py" line="85"></location>
            <source>“{text}” is not an amount of money; type digits such as 1,000.50.</source>
            <translation>“{text}” ไม่ใช่ยอดเงิน พิมพ์ตัวเลข เช่น 1,000.50</translation>
        </message>
        <message>
            <source>“{text}” is not an amount of money.</source>
            <translation type="obsolete">“{text}” ไม่ใช่ยอดเงิน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="33"></location>
            <source>Use a Thai mobile number such as 081-234-5678 or a landline such as 02-123-4567.</source>
            <translation>ใช้เบอร์มือถือไทย เช่น 081-234-5678 หรือเบอร์บ้าน เช่น 02-123-4567</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="39"></location>
            <source>Enter a phone number.</source>
            <translation>ใส่เบอร์โทรศัพท์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="56"></location>
            <source>Only Thai phone numbers (+66) can be used.</source>
            <translation>ใช้ได้เฉพาะเบอร์โทรไทย (+66)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="71"></location>
            <source>That is not a Thai mobile or landline number.</source>
            <translation>ไม่ใช่เบอร์มือถือหรือเบอร์บ้านของไทย</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="41"></location>
            <source>That is too long for a phone number.</source>
            <translation>ยาวเกินกว่าจะเป็นเบอร์โทรศัพท์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="48"></location>
            <source>A phone number can only contain digits, spaces, dashes and a leading +.</source>
            <translation>เบอร์โทรมีได้เฉพาะตัวเลข ช่องว่าง ขีด และ + นำหน้า</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="65"></location>
            <source>A Thai mobile number has 10 digits.</source>
            <translation>เบอร์มือถือไทยมี 10 หลัก</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/phone.py" line="68"></location>
            <source>A Thai phone number has 10 digits for a mobile or 9 for a landline.</source>
            <translation>เบอร์โทรไทยมี 10 หลักสำหรับมือถือ หรือ 9 หลักสำหรับเบอร์บ้าน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="49"></location>
            <location filename="../../pos_app/core/redeem.py" line="93"></location>
            <source>Choose at least 1 point to redeem.</source>
            <translation>เลือกแลกอย่างน้อย 1 แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="51"></location>
            <source>The balance is not a whole number of points.</source>
            <translation>ยอดแต้มไม่เป็นจำนวนเต็ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="64"></location>
            <source>Choose at least one reward.</source>
            <translation>เลือกของรางวัลอย่างน้อยหนึ่งชิ้น</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="82"></location>
            <source>The bill amount is not valid.</source>
            <translation>ยอดซื้อไม่ถูกต้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="39"></location>
            <source>A reward must cost at least 1 point.</source>
            <translation>ของรางวัลต้องใช้อย่างน้อย 1 แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="41"></location>
            <source>Reward stock must be zero or more (or unlimited).</source>
            <translation>จำนวนของรางวัลในสต็อกต้องเป็น 0 ขึ้นไป (หรือไม่จำกัด)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="43"></location>
            <source>Reward “active” must be true or false.</source>
            <translation>ค่า “active” ของของรางวัลต้องเป็น true หรือ false</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="54"></location>
            <source>Not enough points: the member has {balance} and {points} were asked for.</source>
            <translation>แต้มไม่พอ: สมาชิกมี {balance} แต้ม แต่ขอแลก {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="67"></location>
            <source>The reward “{name}” is no longer offered.</source>
            <translation>ของรางวัล “{name}” เลิกให้แลกแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="71"></location>
            <source>The reward “{name}” is out of stock ({stock} left).</source>
            <translation>ของรางวัล “{name}” หมด (เหลือ {stock})</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="96"></location>
            <source>At least {n} points are needed for a discount.</source>
            <translation>ต้องมีอย่างน้อย {n} แต้มจึงจะใช้เป็นส่วนลดได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="104"></location>
            <source>{points} points ({discount}) is more than this bill allows; use at most {most} points.</source>
            <translation>{points} แต้ม ({discount}) เกินกว่าที่บิลนี้ใช้ได้ ใช้ได้ไม่เกิน {most} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/redeem.py" line="37"></location>
            <source>A reward needs a {field}.</source>
            <translation>ของรางวัลต้องมี {field}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/returns.py" line="43"></location>
            <source>The receipt's figures cannot be negative.</source>
            <translation>ตัวเลขในใบเสร็จติดลบไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/returns.py" line="45"></location>
            <source>The refund must be more than zero.</source>
            <translation>ยอดคืนเงินต้องมากกว่าศูนย์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/returns.py" line="48"></location>
            <source>This receipt has already been fully refunded.</source>
            <translation>ใบเสร็จนี้คืนเงินครบแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/returns.py" line="41"></location>
            <source>Amounts and points must be whole numbers.</source>
            <translation>ยอดเงินและแต้มต้องเป็นจำนวนเต็ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/returns.py" line="51"></location>
            <source>The refund ({refund}) is more than what remains refundable on this receipt ({left}).</source>
            <translation>ยอดคืน ({refund}) มากกว่ายอดที่ยังคืนได้ของใบเสร็จนี้ ({left})</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="102"></location>
            <source>Campaign start</source>
            <translation>วันเริ่มแคมเปญ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="103"></location>
            <source>Campaign end</source>
            <translation>วันสิ้นสุดแคมเปญ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="136"></location>
            <source>Two campaigns share the same id.</source>
            <translation>มีสองแคมเปญใช้รหัสเดียวกัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="168"></location>
            <source>A tier policy needs at least one tier.</source>
            <translation>นโยบายระดับสมาชิกต้องมีอย่างน้อยหนึ่งระดับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="170"></location>
            <source>The first tier must start at 0 points.</source>
            <translation>ระดับแรกต้องเริ่มที่ 0 แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="175"></location>
            <source>Two tiers share the same code.</source>
            <translation>มีสองระดับใช้รหัสเดียวกัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="220"></location>
            <source>restore_redeemed_points must be true or false.</source>
            <translation>restore_redeemed_points ต้องเป็น true หรือ false</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="399"></location>
            <source>The bill amount must be a whole number of satang.</source>
            <translation>ยอดซื้อต้องเป็นจำนวนสตางค์เต็ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="401"></location>
            <source>The bill amount cannot be negative.</source>
            <translation>ยอดซื้อติดลบไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="403"></location>
            <source>The bill amount is too large.</source>
            <translation>ยอดซื้อสูงเกินไป</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="404"></location>
            <source>The sale time</source>
            <translation>เวลาขาย</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="409"></location>
            <source>Category lines must be CategoryLine values.</source>
            <translation>รายการหมวดสินค้าต้องเป็นค่า CategoryLine</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="412"></location>
            <source>The category lines do not add up to the bill amount.</source>
            <translation>ยอดรวมรายการหมวดสินค้าไม่เท่ากับยอดซื้อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="543"></location>
            <source>The rules contain a fractional number ({text}); use whole numbers.</source>
            <translation>กติกามีเลขทศนิยม ({text}) ให้ใช้จำนวนเต็ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="53"></location>
            <source>{name} must be a whole number.</source>
            <translation>{name} ต้องเป็นจำนวนเต็ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="55"></location>
            <source>{name} must be at least {minimum}.</source>
            <translation>{name} ต้องไม่น้อยกว่า {minimum}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="57"></location>
            <source>{name} must be at most {maximum}.</source>
            <translation>{name} ต้องไม่เกิน {maximum}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="63"></location>
            <source>{name} must be a non-empty text of at most {n} characters.</source>
            <translation>{name} ต้องเป็นข้อความไม่ว่าง ยาวไม่เกิน {n} ตัวอักษร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="71"></location>
            <source>{name} must be a set of names, or empty for all.</source>
            <translation>{name} ต้องเป็นชุดของชื่อ หรือเว้นว่างหมายถึงทั้งหมด</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="74"></location>
            <source>{name} must name at least one; leave it unset to mean all.</source>
            <translation>{name} ต้องระบุอย่างน้อยหนึ่งรายการ ถ้าหมายถึงทั้งหมดให้เว้นไว้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="133"></location>
            <source>campaigns must hold Campaign values.</source>
            <translation>campaigns ต้องเป็นค่า Campaign</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="173"></location>
            <source>Tiers must be listed by strictly rising thresholds.</source>
            <translation>ต้องเรียงระดับสมาชิกตามเกณฑ์แต้มจากน้อยไปมาก ห้ามซ้ำ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="184"></location>
            <source>Unknown tier “{code}”.</source>
            <translation>ไม่รู้จักระดับ “{code}”</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="350"></location>
            <source>The rules are not valid JSON.</source>
            <translation>กติกาไม่ใช่ JSON ที่ถูกต้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="616"></location>
            <source>In the rules, “{where}” must be an object.</source>
            <translation>ในกติกา “{where}” ต้องเป็นออบเจกต์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="621"></location>
            <source>In the rules, “{where}” lacks: {fields}.</source>
            <translation>ในกติกา “{where}” ขาด: {fields}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="626"></location>
            <source>In the rules, “{where}” has unknown fields: {fields}.</source>
            <translation>ในกติกา “{where}” มีช่องที่ไม่รู้จัก: {fields}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="634"></location>
            <source>In the rules, “{where}” must be a list.</source>
            <translation>ในกติกา “{where}” ต้องเป็นรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="640"></location>
            <location filename="../../pos_app/core/rules.py" line="645"></location>
            <source>In the rules, “{where}” must be an ISO-8601 time.</source>
            <translation>ในกติกา “{where}” ต้องเป็นเวลาแบบ ISO-8601</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="670"></location>
            <source>These rules are in a format this terminal does not know ({format}); update the software.</source>
            <translation>กติกานี้อยู่ในรูปแบบที่เครื่องนี้ไม่รู้จัก ({format}) ให้อัปเดตโปรแกรม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="105"></location>
            <source>Campaign {id} must end after it starts.</source>
            <translation>แคมเปญ {id} ต้องสิ้นสุดหลังวันเริ่ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="112"></location>
            <source>Campaign {id} gives nothing: set a multiplier above 1000 or bonus points.</source>
            <translation>แคมเปญ {id} ไม่ได้ให้อะไรเลย: ตั้งตัวคูณเกิน 1000 หรือแต้มโบนัส</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="537"></location>
            <source>The rules repeat the field “{key}”.</source>
            <translation>กติกามีช่อง “{key}” ซ้ำ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="324"></location>
            <source>{name} has the wrong type.</source>
            <translation>{name} มีชนิดข้อมูลไม่ถูกต้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/timeutil.py" line="23"></location>
            <source>{what} must be a date and time.</source>
            <translation>{what} ต้องเป็นวันที่และเวลา</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/timeutil.py" line="26"></location>
            <source>{what} must carry a time zone (UTC); a local time without a zone is ambiguous.</source>
            <translation>{what} ต้องระบุเขตเวลา (UTC) เวลาท้องถิ่นที่ไม่มีเขตเวลาอาจกำกวม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="135"></location>
            <source>Backup file {path} does not exist.</source>
            <translation>ไม่พบไฟล์สำรอง {path}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="138"></location>
            <source>Backup {path} is damaged too ({problem}); choose another.</source>
            <translation>ไฟล์สำรอง {path} เสียหายเช่นกัน ({problem}) เลือกไฟล์อื่น</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="46"></location>
            <source>The backup copy failed its integrity check: {problem}</source>
            <translation>ไฟล์สำรองไม่ผ่านการตรวจความสมบูรณ์: {problem}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="52"></location>
            <location filename="../../pos_app/ledger/backup.py" line="55"></location>
            <source>Backup failed: {reason}</source>
            <translation>สำรองข้อมูลไม่สำเร็จ: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="132"></location>
            <source>There is no backup to restore in {folder}.</source>
            <translation>ไม่มีข้อมูลสำรองให้กู้คืนใน {folder}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/db.py" line="172"></location>
            <source>The disk is full: nothing was recorded. Free some space or call IT, then try again.</source>
            <translation>ดิสก์เต็ม: ยังไม่ได้บันทึกอะไร ลบไฟล์ให้มีที่ว่างหรือแจ้งไอที แล้วลองใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/db.py" line="174"></location>
            <source>The ledger is busy with another task: nothing was recorded. Try again in a moment.</source>
            <translation>ระบบแต้มกำลังทำงานอื่นอยู่: ยังไม่ได้บันทึกอะไร รอสักครู่แล้วลองใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/db.py" line="177"></location>
            <source>The local ledger file is damaged. Restore the latest backup (pos-terminal restore) or call IT.</source>
            <translation>ไฟล์ข้อมูลแต้มในเครื่องเสียหาย กู้คืนข้อมูลสำรองล่าสุด (pos-terminal restore) หรือแจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="686"></location>
            <source>A member with this phone or card number already exists.</source>
            <translation>มีสมาชิกที่ใช้เบอร์โทรหรือหมายเลขบัตรนี้อยู่แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="644"></location>
            <source>Operation {op_id} was already used for a different request; nothing was changed.</source>
            <translation>รหัสรายการ {op_id} ถูกใช้กับคำขออื่นไปแล้ว ไม่มีการเปลี่ยนแปลง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="839"></location>
            <source>Unknown member {member_id}.</source>
            <translation>ไม่รู้จักสมาชิก {member_id}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="855"></location>
            <location filename="../../pos_app/ledger/repository.py" line="1348"></location>
            <source>Entry {entry_id} arrived damaged (hash mismatch).</source>
            <translation>รายการ {entry_id} ที่ได้รับเสียหาย (แฮชไม่ตรง)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="477"></location>
            <source>Cannot create the data folder {path}: {reason}</source>
            <translation>สร้างโฟลเดอร์ข้อมูล {path} ไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>The local ledger {path} failed its integrity check ({problem}). Nothing was changed. Restore the latest backup with 'pos-terminal restore' or call IT.</source>
            <translation type="obsolete">ข้อมูลแต้มในเครื่อง {path} ไม่ผ่านการตรวจความสมบูรณ์ ({problem}) ยังไม่มีการเปลี่ยนแปลง กู้คืนข้อมูลสำรองล่าสุดด้วย 'pos-terminal restore' หรือแจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="850"></location>
            <location filename="../../pos_app/ledger/repository.py" line="1351"></location>
            <source>Entry {entry_id} arrived with content different from the copy held here.</source>
            <translation>รายการ {entry_id} ที่ได้รับมีเนื้อหาไม่ตรงกับที่เก็บไว้ในเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="1024"></location>
            <source>Staff member {staff_id} already exists.</source>
            <translation>มีพนักงาน {staff_id} อยู่แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="352"></location>
            <source>SQLite integrity check passed</source>
            <translation>ผ่านการตรวจความสมบูรณ์ของ SQLite</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="364"></location>
            <source>no backup yet: run 'pos-terminal backup'</source>
            <translation>ยังไม่มีข้อมูลสำรอง: สั่ง 'pos-terminal backup'</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="361"></location>
            <source>schema revision {rev}</source>
            <translation>รุ่นโครงสร้างข้อมูล {rev}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="367"></location>
            <location filename="../../pos_app/services/reports.py" line="401"></location>
            <source>{mb} MB free</source>
            <translation>ว่าง {mb} MB</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="354"></location>
            <source>{n} entries, chain intact</source>
            <translation>{n} รายการ สายแฮชครบถ้วน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="355"></location>
            <source>chain broken at entry {entry}</source>
            <translation>สายแฮชขาดที่รายการ {entry}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="357"></location>
            <source>{n} members, every balance equals the sum of its entries</source>
            <translation>สมาชิก {n} คน ยอดแต้มทุกคนตรงกับผลรวมรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="359"></location>
            <source>balances differ from entries for {n} members</source>
            <translation>ยอดแต้มไม่ตรงกับรายการ {n} คน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="363"></location>
            <location filename="../../pos_app/services/reports.py" line="397"></location>
            <source>latest backup {path}</source>
            <translation>ข้อมูลสำรองล่าสุด {path}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/pins.py" line="64"></location>
            <location filename="../../pos_app/services/staff.py" line="56"></location>
            <source>A PIN is 4 to 8 digits.</source>
            <translation>PIN เป็นตัวเลข 4 ถึง 8 หลัก</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/staff.py" line="73"></location>
            <source>{name} is not allowed to do this (needs {role}).</source>
            <translation>{name} ไม่มีสิทธิ์ทำรายการนี้ (ต้องเป็น {role})</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/pins.py" line="50"></location>
            <source>That is not a manager's PIN: nothing was changed.</source>
            <translation>PIN นี้ไม่ใช่ของผู้จัดการ: ไม่มีการเปลี่ยนแปลง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/pins.py" line="51"></location>
            <source>Unknown staff id or wrong PIN.</source>
            <translation>ไม่พบพนักงานหรือ PIN ไม่ถูกต้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="322"></location>
            <source>A receipt number is 1 to 64 letters, digits, '.', '/' or '-'.</source>
            <translation>เลขที่ใบเสร็จมี 1 ถึง 64 ตัว ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข '.' '/' หรือ '-'</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="329"></location>
            <source>The sale time needs a time zone.</source>
            <translation>เวลาขายต้องระบุเขตเวลา</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/identify.py" line="42"></location>
            <source>Scan a member card or type a phone number.</source>
            <translation>สแกนบัตรสมาชิกหรือพิมพ์เบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/earn.py" line="91"></location>
            <location filename="../../pos_app/services/earn.py" line="127"></location>
            <location filename="../../pos_app/services/earn.py" line="132"></location>
            <source>The amount must be more than zero.</source>
            <translation>ยอดเงินต้องมากกว่าศูนย์</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="67"></location>
            <location filename="../../pos_app/services/returns.py" line="208"></location>
            <source>The refund amount must be more than zero.</source>
            <translation>ยอดคืนเงินต้องมากกว่าศูนย์</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="274"></location>
            <source>An adjustment must add or remove at least one point.</source>
            <translation>การปรับแต้มต้องเพิ่มหรือลดอย่างน้อย 1 แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="276"></location>
            <source>An adjustment needs a reason.</source>
            <translation>การปรับแต้มต้องระบุเหตุผล</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="53"></location>
            <source>A staff member needs a name.</source>
            <translation>พนักงานต้องมีชื่อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="55"></location>
            <source>Role must be one of: cashier, manager, admin.</source>
            <translation>บทบาทต้องเป็น cashier, manager หรือ admin</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/redeem.py" line="293"></location>
            <source>A reward costs at least one point.</source>
            <translation>ของรางวัลต้องใช้อย่างน้อย 1 แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/identify.py" line="186"></location>
            <source>A member's name is 1 to 120 characters.</source>
            <translation>ชื่อสมาชิกยาว 1 ถึง 120 ตัวอักษร</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/identify.py" line="70"></location>
            <source>The card is genuine but this member is not on this terminal yet: sync, then scan again.</source>
            <translation>บัตรนี้เป็นของจริง แต่ยังไม่มีข้อมูลสมาชิกในเครื่องนี้: ซิงก์แล้วสแกนใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/identify.py" line="75"></location>
            <source>That card number has a wrong check digit: check it and type it again.</source>
            <translation>หมายเลขบัตรมีเลขตรวจสอบผิด: ตรวจแล้วพิมพ์ใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/identify.py" line="86"></location>
            <source>Not a member code, card number or phone number we can read.</source>
            <translation>อ่านไม่ออกว่าเป็นรหัสสมาชิก หมายเลขบัตร หรือเบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="218"></location>
            <source>a return</source>
            <translation>การคืนสินค้า</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="283"></location>
            <source>a manual adjustment</source>
            <translation>การปรับแต้มด้วยมือ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="83"></location>
            <source>A date is written YYYY-MM-DD.</source>
            <translation>เขียนวันที่แบบ YYYY-MM-DD (ปี ค.ศ.)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="248"></location>
            <source>No member with id {member_id}.</source>
            <translation>ไม่พบสมาชิกรหัส {member_id}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="280"></location>
            <source>Manager approval needed: {why}</source>
            <translation>ต้องให้ผู้จัดการอนุมัติ: {why}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="232"></location>
            <source>Rules version {version} is not on this terminal.</source>
            <translation>ไม่มีกติกาเวอร์ชัน {version} ในเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/identify.py" line="78"></location>
            <source>No member with card number {card_no}.</source>
            <translation>ไม่พบสมาชิกหมายเลขบัตร {card_no}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/redeem.py" line="191"></location>
            <source>Choose a reward or a number of points.</source>
            <translation>เลือกของรางวัลหรือจำนวนแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/earn.py" line="158"></location>
            <location filename="../../pos_app/services/vouchers.py" line="330"></location>
            <source>Receipt {receipt} already earned points; nothing was added.</source>
            <translation>ใบเสร็จ {receipt} ได้แต้มไปแล้ว ไม่ได้เพิ่มแต้มอีก</translation>
        </message>
        <message>
            <source>{amount} earns no points under the current rules.</source>
            <translation type="obsolete">ยอด {amount} ไม่ได้แต้มตามกติกาปัจจุบัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/redeem.py" line="205"></location>
            <source>Reward {code} is out of stock.</source>
            <translation>ของรางวัล {code} หมดแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="109"></location>
            <location filename="../../pos_app/services/returns.py" line="153"></location>
            <source>No points were earned on receipt {receipt}.</source>
            <translation>ใบเสร็จ {receipt} ไม่ได้รับแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="117"></location>
            <source>Receipt {receipt} was already fully returned.</source>
            <translation>ใบเสร็จ {receipt} คืนสินค้าครบแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="124"></location>
            <location filename="../../pos_app/services/returns.py" line="136"></location>
            <source>Only {amount} of receipt {receipt} can still be returned.</source>
            <translation>ใบเสร็จ {receipt} คืนได้อีกเพียง {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="286"></location>
            <source>This would leave {name} with a negative balance.</source>
            <translation>จะทำให้ยอดแต้มของ {name} ติดลบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/identify.py" line="199"></location>
            <source>Phone {phone} already belongs to {name} (card {card_no}).</source>
            <translation>เบอร์ {phone} เป็นของ {name} อยู่แล้ว (บัตร {card_no})</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/redeem.py" line="185"></location>
            <location filename="../../pos_app/services/vouchers.py" line="409"></location>
            <source>No reward with code {code}.</source>
            <translation>ไม่พบของรางวัลรหัส {code}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/redeem.py" line="107"></location>
            <source>Reward {code} costs {cost} points.</source>
            <translation>ของรางวัล {code} ใช้ {cost} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/redeem.py" line="199"></location>
            <source>redeeming more than {n} points</source>
            <translation>แลกเกิน {n} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/app.py" line="38"></location>
            <source>Warning: the Thai font could not be loaded ({error}).</source>
            <translation>คำเตือน: โหลดฟอนต์ภาษาไทยไม่ได้ ({error})</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="409"></location>
            <location filename="../../pos_app/ui/counter.py" line="410"></location>
            <source>Loyalty counter</source>
            <translation>สะสมแต้มหน้าร้าน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="413"></location>
            <source>Switch language</source>
            <translation>เปลี่ยนภาษา</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="414"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="225"></location>
            <location filename="../../sync/server/console/templates/base.html" line="20"></location>
            <source>Sign out</source>
            <translation>ออกจากระบบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="98"></location>
            <source>Type your PIN and press Enter</source>
            <translation>ใส่ PIN แล้วกด Enter</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="99"></location>
            <source>PIN</source>
            <translation>PIN</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="100"></location>
            <source>Clear</source>
            <translation>ล้าง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="101"></location>
            <location filename="../../sync/server/console/templates/login.html" line="2"></location>
            <location filename="../../sync/server/console/templates/login.html" line="13"></location>
            <source>Sign in</source>
            <translation>เข้าสู่ระบบ</translation>
        </message>
        <message>
            <source>Demo: cashier PIN 1111, manager PIN 9999</source>
            <translation type="obsolete">ทดลองใช้: PIN แคชเชียร์ 1111 ผู้จัดการ 9999</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="154"></location>
            <location filename="../../pos_app/ui/presenters/flags.py" line="71"></location>
            <location filename="../../pos_app/ui/presenters/flags.py" line="110"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="185"></location>
            <location filename="../../pos_app/ui/screens/member.py" line="146"></location>
            <location filename="../../pos_app/ui/slips.py" line="72"></location>
            <location filename="../../sync/server/console/templates/flags.html" line="10"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="32"></location>
            <source>Member</source>
            <translation>สมาชิก</translation>
        </message>
        <message>
            <source>Scan the card, or type a member code, card number or phone</source>
            <translation type="obsolete">สแกนบัตร หรือพิมพ์รหัสสมาชิก หมายเลขบัตร หรือเบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="148"></location>
            <source>Find</source>
            <translation>ค้นหา</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="167"></location>
            <location filename="../../pos_app/ui/screens/award.py" line="75"></location>
            <location filename="../../pos_app/ui/screens/award.py" line="148"></location>
            <source>Award points</source>
            <translation>สะสมแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/award.py" line="93"></location>
            <source>Bill amount (baht)</source>
            <translation>ยอดซื้อ (บาท)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="361"></location>
            <location filename="../../pos_app/ui/screens/award.py" line="78"></location>
            <source>Receipt no.</source>
            <translation>เลขที่ใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/award.py" line="79"></location>
            <source>e.g. R-000123</source>
            <translation>เช่น R-000123</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="14"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="193"></location>
            <location filename="../../pos_app/ui/presenters/voids.py" line="13"></location>
            <source>Award</source>
            <translation>ให้แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="96"></location>
            <source>Redeem points</source>
            <translation>แลกแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="22"></location>
            <location filename="../../pos_app/ui/screens/redeem.py" line="97"></location>
            <location filename="../../pos_app/ui/slips.py" line="126"></location>
            <location filename="../../sync/server/console/templates/reward_form.html" line="10"></location>
            <source>Reward</source>
            <translation>ของรางวัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/redeem.py" line="107"></location>
            <source>Redeem</source>
            <translation>แลกแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/session.py" line="15"></location>
            <source>cashier</source>
            <translation>แคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/session.py" line="15"></location>
            <source>manager</source>
            <translation>ผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/session.py" line="15"></location>
            <source>admin</source>
            <translation>ผู้ดูแลระบบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/award.py" line="177"></location>
            <location filename="../../pos_app/ui/screens/returns.py" line="61"></location>
            <source>Type the receipt number.</source>
            <translation>ใส่เลขที่ใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="228"></location>
            <location filename="../../pos_app/services/reports.py" line="297"></location>
            <location filename="../../pos_app/ui/screens/redeem.py" line="126"></location>
            <source>Points as a discount</source>
            <translation>ใช้แต้มเป็นส่วนลด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="111"></location>
            <source>Type your PIN first.</source>
            <translation>ใส่ PIN ก่อน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="60"></location>
            <source>No member yet</source>
            <translation>ยังไม่ได้เลือกสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/award.py" line="158"></location>
            <location filename="../../pos_app/ui/screens/redeem.py" line="196"></location>
            <source>Find the member first.</source>
            <translation>ค้นหาสมาชิกก่อน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="206"></location>
            <source>Type how many points to redeem.</source>
            <translation>ใส่จำนวนแต้มที่จะแลก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="480"></location>
            <source>Working…</source>
            <translation>กำลังทำรายการ…</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/session.py" line="36"></location>
            <source>{name} ({role})</source>
            <translation>{name} ({role})</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="82"></location>
            <source>Tier: {tier}</source>
            <translation>ระดับ: {tier}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="65"></location>
            <location filename="../../pos_app/ui/presenters/redeem.py" line="29"></location>
            <location filename="../../pos_app/ui/presenters/voids.py" line="44"></location>
            <source>{points} points</source>
            <translation>{points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="162"></location>
            <source>{amount} earns {points} points</source>
            <translation>ยอด {amount} ได้ {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/award.py" line="207"></location>
            <source>Done: {points} points awarded. New balance {balance} points.</source>
            <translation>เรียบร้อย: ให้ {points} แต้มแล้ว ยอดแต้มใหม่ {balance} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="327"></location>
            <source>Done: {points} points redeemed, discount {discount}. New balance {balance} points.</source>
            <translation>เรียบร้อย: แลก {points} แต้ม ส่วนลด {discount} ยอดแต้มใหม่ {balance} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="653"></location>
            <source>Not redeemed: no manager approval.</source>
            <translation>ยังไม่ได้แลก: ผู้จัดการไม่ได้อนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="110"></location>
            <source>{points} points expire within 30 days</source>
            <translation>{points} แต้มจะหมดอายุภายใน 30 วัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="112"></location>
            <source>Flagged for a manager: {reason}</source>
            <translation>รอผู้จัดการตรวจสอบ: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="128"></location>
            <source>{reward} ({points} points)</source>
            <translation>{reward} ({points} แต้ม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="325"></location>
            <source>Done: {points} points redeemed for {reward}. New balance {balance} points.</source>
            <translation>เรียบร้อย: แลก {points} แต้ม เป็น{reward} ยอดแต้มใหม่ {balance} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="101"></location>
            <source>Manager approval</source>
            <translation>ผู้จัดการอนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="107"></location>
            <source>Manager, type your PIN to approve:</source>
            <translation>ผู้จัดการ ใส่ PIN เพื่ออนุมัติ:</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="114"></location>
            <source>Approve</source>
            <translation>อนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="117"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="168"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="225"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="378"></location>
            <source>Cancel</source>
            <translation>ยกเลิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/worker.py" line="54"></location>
            <source>Something went wrong and nothing was confirmed ({error}). Try again or call IT.</source>
            <translation>เกิดข้อผิดพลาด ยังไม่มีการยืนยันรายการ ({error}) ลองใหม่หรือแจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="21"></location>
            <source>{file}: no such file.</source>
            <translation>{file}: ไม่พบไฟล์</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="22"></location>
            <source>{file}: not an image or video that can be read.</source>
            <translation>{file}: ไม่ใช่ภาพหรือวิดีโอที่อ่านได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="25"></location>
            <source>The decoder crashed and was restarted; some frames were not checked.</source>
            <translation>ตัวถอดรหัสล่มและเริ่มใหม่แล้ว บางเฟรมไม่ได้ตรวจ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="26"></location>
            <source>The {decoder} decoder is not installed on this computer (it needs libzbar0).</source>
            <translation>เครื่องนี้ไม่ได้ติดตั้งตัวถอดรหัส {decoder} (ต้องใช้ libzbar0)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="78"></location>
            <source>Cannot check the signature: the terminal's keys are not available.</source>
            <translation>ตรวจลายเซ็นไม่ได้: ไม่มีกุญแจของเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="189"></location>
            <source>No code found in any of the inputs.</source>
            <translation>ไม่พบรหัสในไฟล์ใดเลย</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="103"></location>
            <source>{file}: no code found.</source>
            <translation>{file}: ไม่พบรหัส</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="104"></location>
            <source>{file}: {symbology} code {text}</source>
            <translation>{file}: รหัส {symbology} {text}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="107"></location>
            <source>signature: genuine</source>
            <translation>ลายเซ็น: ของจริง</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="111"></location>
            <source>signature: none (not a signed member code)</source>
            <translation>ลายเซ็น: ไม่มี (ไม่ใช่รหัสสมาชิกที่ลงนาม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="114"></location>
            <source>member: {name} ({id}), card {card}</source>
            <translation>สมาชิก: {name} ({id}) บัตร {card}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="117"></location>
            <source>member: none: {reason}</source>
            <translation>สมาชิก: ไม่พบ: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="119"></location>
            <source>also found: {symbology} {text}</source>
            <translation>พบอีก: {symbology} {text}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="109"></location>
            <source>signature: NOT genuine: {reason}</source>
            <translation>ลายเซ็น: ไม่ใช่ของจริง: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="117"></location>
            <source>not looked up</source>
            <translation>ไม่ได้ค้นหา</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="22"></location>
            <source>The rendered card did not scan back to the same member code and card number, so it was not saved. Try a higher --dpi, or report this to IT.</source>
            <translation>บัตรที่สร้างสแกนกลับได้ไม่ตรงกับรหัสสมาชิกและหมายเลขบัตร จึงไม่ได้บันทึก ลองเพิ่ม --dpi หรือแจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="24"></location>
            <source>Cannot write the card file {file}: check the folder exists and can be written.</source>
            <translation>เขียนไฟล์บัตร {file} ไม่ได้: ตรวจว่ามีโฟลเดอร์และเขียนได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="25"></location>
            <source>This member's data cannot be put on a card (missing name or card number).</source>
            <translation>ข้อมูลสมาชิกนี้ทำบัตรไม่ได้ (ไม่มีชื่อหรือหมายเลขบัตร)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="26"></location>
            <source>The Thai font is missing from this installation: reinstall the app.</source>
            <translation>ไม่พบฟอนต์ภาษาไทยในโปรแกรมที่ติดตั้ง: ติดตั้งโปรแกรมใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="96"></location>
            <source>Member card</source>
            <translation>บัตรสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="96"></location>
            <source>Member no.</source>
            <translation>เลขสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="110"></location>
            <source>Card for {name} written to {file} (it scans back to this member).</source>
            <translation>สร้างบัตรของ {name} ไว้ที่ {file} แล้ว (สแกนกลับได้ตรงกับสมาชิกนี้)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="79"></location>
            <source>Cannot tell the card format from {file}: name it .png or .pdf, or give --format.</source>
            <translation>ไม่รู้รูปแบบบัตรจากชื่อ {file}: ตั้งชื่อเป็น .png หรือ .pdf หรือระบุ --format</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="83"></location>
            <source>Member {id} has no signed member code yet: sync the terminal with the server, then render the card again.</source>
            <translation>สมาชิก {id} ยังไม่มีรหัสสมาชิกที่ลงนาม: ซิงก์เครื่องกับเซิร์ฟเวอร์ แล้วสร้างบัตรใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="92"></location>
            <source>The member code stored for {id} names another member; sync the terminal.</source>
            <translation>รหัสสมาชิกที่เก็บไว้ของ {id} เป็นของสมาชิกคนอื่น: ซิงก์เครื่อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/card_cmds.py" line="89"></location>
            <source>The member code stored for {id} cannot go on a card: {reason}</source>
            <translation>รหัสสมาชิกที่เก็บไว้ของ {id} ใช้ทำบัตรไม่ได้: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/hardware_cmds.py" line="175"></location>
            <source>not identified (the code was refused)</source>
            <translation>ระบุตัวไม่ได้ (รหัสถูกปฏิเสธ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="36"></location>
            <source>The keyboard is set to Thai, so the scanner typed Thai letters; it was read anyway. Switch the keyboard to English (Grave or Alt+Shift) or set the scanner to serial mode.</source>
            <translation>แป้นพิมพ์เป็นภาษาไทย เครื่องสแกนจึงพิมพ์เป็นตัวอักษรไทย แต่ระบบอ่านได้แล้ว ให้เปลี่ยนแป้นพิมพ์เป็นภาษาอังกฤษ (ปุ่ม ~ หรือ Alt+Shift) หรือตั้งเครื่องสแกนเป็นโหมด serial</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="38"></location>
            <source>The scanner's keys arrived in a mix of Thai and English. Switch the keyboard to English (Grave or Alt+Shift) or set the scanner to serial mode, then scan again.</source>
            <translation>เครื่องสแกนส่งตัวอักษรไทยปนอังกฤษ ให้เปลี่ยนแป้นพิมพ์เป็นภาษาอังกฤษ (ปุ่ม ~ หรือ Alt+Shift) หรือตั้งเครื่องสแกนเป็นโหมด serial แล้วสแกนใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="143"></location>
            <location filename="../../pos_app/ui/screens/member.py" line="149"></location>
            <source>New member</source>
            <translation>สมัครสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="409"></location>
            <source>Type the member's name.</source>
            <translation>ใส่ชื่อสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="431"></location>
            <source>Done: {name} is now a member.</source>
            <translation>เรียบร้อย: {name} เป็นสมาชิกแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="146"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="162"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="167"></location>
            <location filename="../../sync/server/console/templates/branches.html" line="12"></location>
            <location filename="../../sync/server/console/templates/branches.html" line="19"></location>
            <location filename="../../sync/server/console/templates/members.html" line="13"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="10"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="56"></location>
            <source>Name</source>
            <translation>ชื่อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="150"></location>
            <location filename="../../sync/server/console/templates/member.html" line="15"></location>
            <location filename="../../sync/server/console/templates/members.html" line="13"></location>
            <source>Phone</source>
            <translation>เบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="154"></location>
            <source>The member agrees to the loyalty terms and privacy notice</source>
            <translation>สมาชิกยอมรับเงื่อนไขสะสมแต้มและนโยบายความเป็นส่วนตัว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="165"></location>
            <source>Enroll</source>
            <translation>สมัคร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/allowance.py" line="90"></location>
            <source>Offline redemption is not allowed for this member until a manager resolves an earlier overdraft. Redeem when the terminal is online.</source>
            <translation>สมาชิกนี้แลกแต้มแบบออฟไลน์ไม่ได้จนกว่าผู้จัดการจะจัดการแต้มติดลบครั้งก่อน ให้แลกเมื่อเครื่องออนไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/allowance.py" line="94"></location>
            <source>This terminal has not synced with the server yet, so it cannot redeem offline.</source>
            <translation>เครื่องนี้ยังไม่เคยซิงก์กับเซิร์ฟเวอร์ จึงแลกแต้มแบบออฟไลน์ไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/allowance.py" line="97"></location>
            <source>The last successful sync is more than {hours} hours old: redeeming offline is not allowed. Reconnect the terminal to the network.</source>
            <translation>ซิงก์สำเร็จครั้งล่าสุดนานกว่า {hours} ชั่วโมงแล้ว: แลกแต้มแบบออฟไลน์ไม่ได้ ให้ต่อเครื่องเข้าเครือข่าย</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/allowance.py" line="102"></location>
            <source>Offline, one redemption may use at most {limit} points.</source>
            <translation>ขณะออฟไลน์ แลกได้ไม่เกิน {limit} แต้มต่อครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/allowance.py" line="107"></location>
            <source>Offline, this member can redeem only {left} more points on this terminal until it syncs.</source>
            <translation>ขณะออฟไลน์ สมาชิกนี้แลกที่เครื่องนี้ได้อีกเพียง {left} แต้มจนกว่าจะซิงก์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/allowance.py" line="112"></location>
            <source>Offline, this terminal can redeem only {left} more points until it syncs.</source>
            <translation>ขณะออฟไลน์ เครื่องนี้แลกได้อีกเพียง {left} แต้มจนกว่าจะซิงก์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="1240"></location>
            <source>This terminal already holds records; it cannot change its identity.</source>
            <translation>เครื่องนี้มีรายการอยู่แล้ว จึงเปลี่ยนตัวตนเครื่องไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/sync_store.py" line="62"></location>
            <source>overdraft after offline redemptions: no offline redemption until a manager resolves it</source>
            <translation>แต้มติดลบหลังแลกแบบออฟไลน์: ห้ามแลกออฟไลน์จนกว่าผู้จัดการจะจัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="334"></location>
            <source>The member does not have enough points (available on the server: {available}).</source>
            <translation>สมาชิกมีแต้มไม่พอ (แต้มที่ใช้ได้บนเซิร์ฟเวอร์: {available})</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="337"></location>
            <source>The server does not know this member yet.</source>
            <translation>เซิร์ฟเวอร์ยังไม่มีข้อมูลสมาชิกนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="338"></location>
            <source>This terminal was revoked by the head office: call IT to enroll it again.</source>
            <translation>สำนักงานใหญ่ยกเลิกเครื่องนี้แล้ว: แจ้งไอทีเพื่อลงทะเบียนใหม่</translation>
        </message>
        <message>
            <source>This terminal's credential has expired: call IT to enroll it again.</source>
            <translation type="obsolete">สิทธิ์เข้าใช้ของเครื่องนี้หมดอายุ: แจ้งไอทีเพื่อลงทะเบียนใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="341"></location>
            <source>The server does not know this terminal: call IT to enroll it again.</source>
            <translation>เซิร์ฟเวอร์ไม่รู้จักเครื่องนี้: แจ้งไอทีเพื่อลงทะเบียนใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="342"></location>
            <source>The server refused this terminal's credential: call IT.</source>
            <translation>เซิร์ฟเวอร์ปฏิเสธสิทธิ์เข้าใช้ของเครื่องนี้: แจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="223"></location>
            <location filename="../../pos_app/services/sync_glue.py" line="343"></location>
            <source>This terminal is not connected to a loyalty server (standalone).</source>
            <translation>เครื่องนี้ไม่ได้เชื่อมกับเซิร์ฟเวอร์สะสมแต้ม (ใช้งานเดี่ยว)</translation>
        </message>
        <message>
            <source>This terminal is already enrolled.</source>
            <translation type="obsolete">เครื่องนี้ลงทะเบียนแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="351"></location>
            <source>This terminal already has records: only a new, empty terminal can be enrolled. This one stays standalone.</source>
            <translation>เครื่องนี้มีรายการอยู่แล้ว: ลงทะเบียนได้เฉพาะเครื่องใหม่ที่ยังว่าง เครื่องนี้จะใช้งานเดี่ยวต่อไป</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="363"></location>
            <source>That enrollment code is not valid: check it and type it again.</source>
            <translation>รหัสลงทะเบียนไม่ถูกต้อง: ตรวจแล้วพิมพ์ใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="364"></location>
            <source>That enrollment code was already used: ask for a new one.</source>
            <translation>รหัสลงทะเบียนนี้ใช้ไปแล้ว: ขอรหัสใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="365"></location>
            <source>That enrollment code has expired: ask for a new one.</source>
            <translation>รหัสลงทะเบียนหมดอายุ: ขอรหัสใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="366"></location>
            <source>Cannot reach the loyalty server: working offline, records are kept and sent later.</source>
            <translation>ติดต่อเซิร์ฟเวอร์สะสมแต้มไม่ได้: ทำงานแบบออฟไลน์ เก็บรายการไว้แล้วส่งภายหลัง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="367"></location>
            <source>The loyalty server did not answer in time: working offline, records are kept and sent later.</source>
            <translation>เซิร์ฟเวอร์สะสมแต้มไม่ตอบในเวลา: ทำงานแบบออฟไลน์ เก็บรายการไว้แล้วส่งภายหลัง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="368"></location>
            <source>The loyalty server has a problem: working offline, records are kept and sent later.</source>
            <translation>เซิร์ฟเวอร์สะสมแต้มมีปัญหา: ทำงานแบบออฟไลน์ เก็บรายการไว้แล้วส่งภายหลัง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="369"></location>
            <source>The loyalty server gave an answer we cannot read: records are kept and sent later.</source>
            <translation>เซิร์ฟเวอร์สะสมแต้มตอบกลับมาแบบอ่านไม่ได้: เก็บรายการไว้แล้วส่งภายหลัง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="370"></location>
            <source>The server holds different content for some of this terminal's records: call IT.</source>
            <translation>ข้อมูลบางรายการของเครื่องนี้บนเซิร์ฟเวอร์ไม่ตรงกัน: แจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="382"></location>
            <source>The loyalty server speaks another protocol version: update this terminal.</source>
            <translation>เซิร์ฟเวอร์สะสมแต้มใช้โปรโตคอลคนละเวอร์ชัน: อัปเดตเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="394"></location>
            <source>Sync failed.</source>
            <translation>ซิงก์ไม่สำเร็จ</translation>
        </message>
        <message>
            <source>Today's report</source>
            <translation type="obsolete">รายงานวันนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="110"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="22"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="185"></location>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <source>Cashier</source>
            <translation>แคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="294"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="451"></location>
            <location filename="../../pos_app/ui/screens/reports.py" line="609"></location>
            <location filename="../../pos_app/ui/screens/voucher.py" line="52"></location>
            <source>Close</source>
            <translation>ปิด</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="319"></location>
            <location filename="../../pos_app/services/reports.py" line="334"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="122"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="176"></location>
            <source>Total</source>
            <translation>รวม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="953"></location>
            <source>{points:,} points expired for {members:,} members.</source>
            <translation>แต้มหมดอายุ {points:,} แต้ม จากสมาชิก {members:,} คน</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="61"></location>
            <location filename="../../pos_app/ui/presenters/device.py" line="35"></location>
            <source>never</source>
            <translation>ไม่เคย</translation>
        </message>
        <message>
            <source>The server address must start with http:// or https://.</source>
            <translation type="obsolete">ที่อยู่เซิร์ฟเวอร์ต้องขึ้นต้นด้วย http:// หรือ https://</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="84"></location>
            <source>Terminal {id} is standalone (not enrolled with a loyalty server).</source>
            <translation>เครื่อง {id} ใช้งานเดี่ยว (ไม่ได้ลงทะเบียนกับเซิร์ฟเวอร์สะสมแต้ม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="86"></location>
            <source>Terminal {id}, branch {branch}, server {url}</source>
            <translation>เครื่อง {id} สาขา {branch} เซิร์ฟเวอร์ {url}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="88"></location>
            <source>Waiting to be sent: {n} records</source>
            <translation>รอส่ง: {n} รายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="89"></location>
            <source>Last successful sync: {when}</source>
            <translation>ซิงก์สำเร็จล่าสุด: {when}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="155"></location>
            <source>Enrolled as terminal {id} in branch {branch}.</source>
            <translation>ลงทะเบียนเป็นเครื่อง {id} สาขา {branch} แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="269"></location>
            <source>Stopped.</source>
            <translation>หยุดแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="92"></location>
            <source>Last error: {error}</source>
            <translation>ข้อผิดพลาดล่าสุด: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="99"></location>
            <source>Warning: this terminal's clock differs from the server's by {minutes} minutes: fix the clock (entries are flagged).</source>
            <translation>คำเตือน: นาฬิกาเครื่องนี้ต่างจากเซิร์ฟเวอร์ {minutes} นาที ให้ตั้งนาฬิกาให้ตรง (รายการจะถูกทำเครื่องหมายไว้)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="152"></location>
            <source>Enrolled, but the first sync failed: {error}</source>
            <translation>ลงทะเบียนแล้ว แต่ซิงก์ครั้งแรกไม่สำเร็จ: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="245"></location>
            <location filename="../../pos_app/cli/sync_cmds.py" line="258"></location>
            <source>Synced: {up} records sent, {down} changes received.</source>
            <translation>ซิงก์แล้ว: ส่ง {up} รายการ รับการเปลี่ยนแปลง {down} รายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="264"></location>
            <source>Sync failed: {error} (retrying in {s} s)</source>
            <translation>ซิงก์ไม่สำเร็จ: {error} (ลองใหม่ใน {s} วินาที)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="914"></location>
            <source>The newest backup is recent enough; none taken.</source>
            <translation>ข้อมูลสำรองล่าสุดยังใหม่อยู่ จึงไม่ได้สำรองเพิ่ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="184"></location>
            <source>one key such as "\r" (Enter) or "\t" (Tab), "\r\n", or "" for none</source>
            <translation>ปุ่มเดียว เช่น "\r" (Enter) หรือ "\t" (Tab), "\r\n" หรือ "" ถ้าไม่มี</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="207"></location>
            <source>a camera index (0, 1, ...) or the path of a video file or a folder of images</source>
            <translation>หมายเลขกล้อง (0, 1, ...) หรือที่อยู่ไฟล์วิดีโอหรือโฟลเดอร์รูปภาพ</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="271"></location>
            <location filename="../../pos_app/config.py" line="281"></location>
            <location filename="../../pos_app/config.py" line="314"></location>
            <source>the configuration</source>
            <translation>การตั้งค่า</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="189"></location>
            <location filename="../../pos_app/config.py" line="194"></location>
            <location filename="../../pos_app/config.py" line="198"></location>
            <source>a URL such as https://loyalty.example.com</source>
            <translation>URL เช่น https://loyalty.example.com</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="270"></location>
            <source>Bad value {value} for {key} in {file}: expected {reason}.</source>
            <translation>ค่า {value} ของ {key} ใน {file} ไม่ถูกต้อง: ต้องเป็น {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="319"></location>
            <source>host or host:port of a network printer, e.g. 192.168.1.50:9100</source>
            <translation>host หรือ host:port ของเครื่องพิมพ์เครือข่าย เช่น 192.168.1.50:9100</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="162"></location>
            <source>text of at most {n} characters</source>
            <translation>ข้อความยาวไม่เกิน {n} ตัวอักษร</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="313"></location>
            <source>printer.address is required in {file} when printer.kind is {kind}.</source>
            <translation>ต้องระบุ printer.address ใน {file} เมื่อ printer.kind เป็น {kind}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="324"></location>
            <source>the USB vendor:product id of the printer, e.g. 04b8:0202</source>
            <translation>รหัส USB vendor:product ของเครื่องพิมพ์ เช่น 04b8:0202</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="335"></location>
            <source>a width not smaller than camera.height ({height})</source>
            <translation>ความกว้างไม่น้อยกว่า camera.height ({height})</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="358"></location>
            <source>The configuration file {file} named by {env} does not exist.</source>
            <translation>ไม่พบไฟล์การตั้งค่า {file} ที่ระบุใน {env}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="145"></location>
            <source>a whole number from {low} to {high}</source>
            <translation>จำนวนเต็มตั้งแต่ {low} ถึง {high}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="153"></location>
            <source>one of {choices}</source>
            <translation>ค่าใดค่าหนึ่งใน {choices}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="285"></location>
            <source>Unknown section [{section}] in {file} (known: {known}).</source>
            <translation>ไม่รู้จักหมวด [{section}] ใน {file} (ที่รู้จัก: {known})</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="289"></location>
            <source>{key} in {file} must be a section: write [{key}] on its own line.</source>
            <translation>{key} ใน {file} ต้องเป็นหมวด: เขียน [{key}] ไว้บรรทัดเดียว</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="371"></location>
            <source>Cannot read the configuration file {file}: {error}.</source>
            <translation>อ่านไฟล์การตั้งค่า {file} ไม่ได้: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="376"></location>
            <source>The configuration file {file} is not UTF-8 text.</source>
            <translation>ไฟล์การตั้งค่า {file} ไม่ใช่ข้อความ UTF-8</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="379"></location>
            <source>The configuration file {file} is not valid TOML: {error}.</source>
            <translation>ไฟล์การตั้งค่า {file} ไม่ใช่ TOML ที่ถูกต้อง: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="295"></location>
            <source>Unknown key {key} in {file} (known in [{section}]: {known}).</source>
            <translation>ไม่รู้จักคีย์ {key} ใน {file} (ที่รู้จักใน [{section}]: {known})</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="782"></location>
            <source>no terminal.toml: defaults in use</source>
            <translation>ไม่มี terminal.toml: ใช้ค่าเริ่มต้น</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="185"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="201"></location>
            <location filename="../../pos_app/ui/screens/status.py" line="226"></location>
            <source>Online</source>
            <translation>ออนไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="201"></location>
            <location filename="../../pos_app/ui/screens/status.py" line="226"></location>
            <source>Offline</source>
            <translation>ออฟไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="230"></location>
            <source>all records sent</source>
            <translation>ส่งข้อมูลครบแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="234"></location>
            <source>never synced yet</source>
            <translation>ยังไม่เคยซิงค์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="223"></location>
            <source>Standalone: not connected to a loyalty server</source>
            <translation>ใช้งานเครื่องเดียว: ไม่ได้เชื่อมต่อกับเซิร์ฟเวอร์สะสมแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="275"></location>
            <source>Offline: this member can redeem up to {points} points here until the terminal syncs again.</source>
            <translation>ออฟไลน์: สมาชิกนี้แลกได้อีกไม่เกิน {points} แต้มที่เครื่องนี้ จนกว่าเครื่องจะซิงค์อีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="96"></location>
            <source>Configuration not used, running on defaults: {error}</source>
            <translation>ไม่ได้ใช้ไฟล์ตั้งค่า ใช้ค่าเริ่มต้นแทน: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="122"></location>
            <source>Backup failed: {error}</source>
            <translation>สำรองข้อมูลไม่สำเร็จ: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="228"></location>
            <source>{count} records waiting to be sent</source>
            <translation>มี {count} รายการรอส่ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="232"></location>
            <source>last sync {time}</source>
            <translation>ซิงค์ล่าสุด {time}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="240"></location>
            <source>Warning: this terminal's clock differs from the server's by {minutes} minutes; check the date and time.</source>
            <translation>คำเตือน: นาฬิกาของเครื่องนี้ต่างจากเซิร์ฟเวอร์ {minutes} นาที โปรดตรวจสอบวันที่และเวลา</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="115"></location>
            <source>Backup done at {time}</source>
            <translation>สำรองข้อมูลแล้วเมื่อ {time}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="95"></location>
            <source>Reprint last slip</source>
            <translation>พิมพ์สลิปล่าสุดซ้ำ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/status.py" line="156"></location>
            <source>The slip did not print: {reason}</source>
            <translation>สลิปไม่ได้พิมพ์: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="206"></location>
            <source>The slip printer cannot be used: {reason}</source>
            <translation>ใช้เครื่องพิมพ์สลิปไม่ได้: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="26"></location>
            <source>The slip printer is offline, unplugged or switched off.</source>
            <translation>เครื่องพิมพ์สลิปออฟไลน์ ไม่ได้เสียบสาย หรือปิดอยู่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="27"></location>
            <source>The slip printer is out of paper: load a new roll, then press Reprint.</source>
            <translation>เครื่องพิมพ์สลิปกระดาษหมด: ใส่ม้วนใหม่ แล้วกด พิมพ์สลิปล่าสุดซ้ำ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="28"></location>
            <source>The slip printer reported an error.</source>
            <translation>เครื่องพิมพ์สลิปแจ้งข้อผิดพลาด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="29"></location>
            <source>The slip file could not be written.</source>
            <translation>บันทึกไฟล์สลิปไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="30"></location>
            <source>The printer settings are not valid: call IT.</source>
            <translation>การตั้งค่าเครื่องพิมพ์ไม่ถูกต้อง: โปรดติดต่อฝ่ายไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="31"></location>
            <source>Printer support is not installed on this terminal: call IT.</source>
            <translation>เครื่องนี้ยังไม่ได้ติดตั้งส่วนรองรับเครื่องพิมพ์: โปรดติดต่อฝ่ายไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="32"></location>
            <source>There is no slip to reprint.</source>
            <translation>ไม่มีสลิปให้พิมพ์ซ้ำ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="33"></location>
            <source>The slip could not be laid out.</source>
            <translation>จัดหน้าสลิปไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="154"></location>
            <location filename="../../pos_app/ui/slips.py" line="72"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="42"></location>
            <location filename="../../sync/server/console/templates/flags.html" line="10"></location>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="21"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="19"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="75"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="8"></location>
            <source>Branch</source>
            <translation>สาขา</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="154"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="276"></location>
            <location filename="../../pos_app/ui/slips.py" line="72"></location>
            <source>Time</source>
            <translation>เวลา</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="154"></location>
            <location filename="../../pos_app/ui/slips.py" line="72"></location>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="3"></location>
            <source>Receipt</source>
            <translation>ใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="155"></location>
            <location filename="../../pos_app/ui/slips.py" line="73"></location>
            <source>Purchase</source>
            <translation>ยอดซื้อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="155"></location>
            <location filename="../../pos_app/ui/slips.py" line="73"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="87"></location>
            <source>Points earned</source>
            <translation>แต้มที่ได้รับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="155"></location>
            <location filename="../../pos_app/services/reports.py" line="331"></location>
            <location filename="../../pos_app/ui/slips.py" line="73"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="13"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="15"></location>
            <source>Points redeemed</source>
            <translation>แต้มที่แลก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="156"></location>
            <location filename="../../pos_app/ui/slips.py" line="74"></location>
            <source>Balance before</source>
            <translation>แต้มคงเหลือเดิม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="156"></location>
            <location filename="../../pos_app/ui/slips.py" line="74"></location>
            <source>Balance after</source>
            <translation>แต้มคงเหลือ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="157"></location>
            <location filename="../../pos_app/ui/slips.py" line="75"></location>
            <source>Expiring by {date}</source>
            <translation>จะหมดอายุภายใน {date}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="157"></location>
            <location filename="../../pos_app/ui/slips.py" line="75"></location>
            <source>pts</source>
            <translation>แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="157"></location>
            <location filename="../../pos_app/ui/slips.py" line="75"></location>
            <source>Thank you</source>
            <translation>ขอบคุณที่ใช้บริการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="97"></location>
            <location filename="../../pos_app/ui/slips.py" line="133"></location>
            <source>Loyalty points</source>
            <translation>แต้มสะสม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="39"></location>
            <source>The slip did not print ({code}).</source>
            <translation>สลิปไม่ได้พิมพ์ ({code})</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="124"></location>
            <source>Discount</source>
            <translation>ส่วนลด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="37"></location>
            <source>Camera ready: hold the member card up to it.</source>
            <translation>กล้องพร้อม: ยกบัตรสมาชิกให้กล้องเห็น</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="38"></location>
            <location filename="../../pos_app/ui/camera.py" line="40"></location>
            <source>Camera unplugged or busy: check its cable. Trying again…</source>
            <translation>กล้องไม่ได้เสียบหรือถูกใช้งานอยู่: ตรวจสอบสายกล้อง กำลังลองใหม่…</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="39"></location>
            <source>Trying to reconnect to the camera…</source>
            <translation>กำลังเชื่อมต่อกล้องอีกครั้ง…</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="41"></location>
            <source>End of the video or images.</source>
            <translation>วิดีโอหรือรูปภาพหมดแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="42"></location>
            <source>The code reader crashed and was restarted.</source>
            <translation>ตัวอ่านรหัสขัดข้องและเริ่มใหม่แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="43"></location>
            <source>The code reader failed on a picture.</source>
            <translation>ตัวอ่านรหัสอ่านภาพหนึ่งไม่สำเร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="44"></location>
            <source>Cannot read the camera input: check the camera setting.</source>
            <translation>อ่านภาพจากกล้องไม่ได้: ตรวจสอบการตั้งค่ากล้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="45"></location>
            <source>A scan could not be handled.</source>
            <translation>จัดการผลการสแกนไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="46"></location>
            <source>Camera off.</source>
            <translation>ปิดกล้องแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/camera.py" line="58"></location>
            <source>Camera: {status}</source>
            <translation>กล้อง: {status}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="171"></location>
            <location filename="../../pos_app/ui/screens/member.py" line="150"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Camera</source>
            <translation>กล้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="151"></location>
            <source>Show the camera to scan member cards</source>
            <translation>เปิดกล้องเพื่อสแกนบัตรสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="702"></location>
            <source>No failed PINs waiting and no lockouts.</source>
            <translation>ไม่มี PIN ที่ใส่ผิดค้างอยู่ และไม่มีการล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="703"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="302"></location>
            <source>sign-in</source>
            <translation>เข้าสู่ระบบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="703"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="302"></location>
            <source>approval</source>
            <translation>อนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="663"></location>
            <source>PIN of {name} changed.</source>
            <translation>เปลี่ยน PIN ของ {name} แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="676"></location>
            <location filename="../../pos_app/ui/presenters/staff.py" line="133"></location>
            <location filename="../../pos_app/ui/screens/backoffice.py" line="81"></location>
            <source>PIN of {name} reset: they choose a new one at their next sign-in.</source>
            <translation>รีเซ็ต PIN ของ {name} แล้ว: ต้องตั้ง PIN ใหม่เมื่อเข้าสู่ระบบครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="691"></location>
            <source>Unlocked ({n} failed-PIN counts cleared).</source>
            <translation>ปลดล็อกแล้ว (ล้างการนับ PIN ผิด {n} รายการ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="724"></location>
            <source>No audit events yet.</source>
            <translation>ยังไม่มีบันทึกเหตุการณ์</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="170"></location>
            <source>Demo staff: cashier PIN 1111, manager PIN 9999. These PINs are for the demo only: never use them on a real counter.</source>
            <translation>พนักงานทดลอง: PIN แคชเชียร์ 1111 ผู้จัดการ 9999 ใช้สำหรับทดลองเท่านั้น ห้ามใช้ที่เคาน์เตอร์จริง</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="706"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="307"></location>
            <source>LOCKED</source>
            <translation>ถูกล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="707"></location>
            <source>, wait {s} s</source>
            <translation>, รอ {s} วินาที</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="705"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="306"></location>
            <source>this terminal (PIN only)</source>
            <translation>เครื่องนี้ (ใส่ PIN อย่างเดียว)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="706"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="307"></location>
            <source>{n} wrong</source>
            <translation>ผิด {n} ครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="168"></location>
            <source>true or false</source>
            <translation>true หรือ false</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/pins.py" line="69"></location>
            <source>A PIN cannot be one digit repeated (such as 1111): choose another.</source>
            <translation>PIN ห้ามเป็นเลขซ้ำตัวเดียว (เช่น 1111) กรุณาเลือกใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/pins.py" line="71"></location>
            <source>A PIN cannot be a run of digits (such as 1234 or 9876): choose another.</source>
            <translation>PIN ห้ามเป็นเลขเรียงกัน (เช่น 1234 หรือ 9876) กรุณาเลือกใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/pins.py" line="74"></location>
            <source>A PIN cannot be your own phone number: choose another.</source>
            <translation>PIN ห้ามเป็นเบอร์โทรศัพท์ของตัวเอง กรุณาเลือกใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/pins.py" line="66"></location>
            <source>A manager's PIN has at least {n} digits.</source>
            <translation>PIN ของผู้จัดการต้องมีอย่างน้อย {n} หลัก</translation>
        </message>
        <message>
            <source>Sign-in is locked on this terminal after too many wrong PINs: a manager must unlock it (choose 'I am a manager', or pos-terminal staff unlock).</source>
            <translation type="obsolete"></translation>
        </message>
        <message>
            <location filename="../../pos_app/services/pins.py" line="55"></location>
            <source>Too many wrong PINs: try again in {seconds} s.</source>
            <translation>ใส่ PIN ผิดหลายครั้งเกินไป: ลองใหม่ในอีก {seconds} วินาที</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/pins.py" line="61"></location>
            <source>Manager approval is locked on this terminal after too many wrong PINs: a manager must unlock it (manager area, or pos-terminal staff unlock).</source>
            <translation>การอนุมัติของผู้จัดการที่เครื่องนี้ถูกล็อกเพราะใส่ PIN ผิดหลายครั้ง: ผู้จัดการต้องปลดล็อก (ส่วนผู้จัดการ หรือ pos-terminal staff unlock)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/pins.py" line="65"></location>
            <source>{name}'s PIN is locked after too many wrong attempts: a manager or head office must unlock it.</source>
            <translation>PIN ของ {name} ถูกล็อกเพราะใส่ผิดหลายครั้ง: ผู้จัดการหรือสำนักงานใหญ่ต้องปลดล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="107"></location>
            <location filename="../../pos_app/services/approvals.py" line="180"></location>
            <location filename="../../pos_app/services/approvals.py" line="243"></location>
            <source>No such staff member on this terminal.</source>
            <translation>ไม่มีพนักงานคนนี้ในเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="237"></location>
            <source>The purpose is sign_in or approval.</source>
            <translation>วัตถุประสงค์ต้องเป็น sign_in หรือ approval</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="311"></location>
            <source>You cannot approve your own operation: ask another manager.</source>
            <translation>คุณอนุมัติรายการของตัวเองไม่ได้ กรุณาให้ผู้จัดการคนอื่นอนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="217"></location>
            <source>resetting a PIN</source>
            <translation>การรีเซ็ต PIN</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="241"></location>
            <source>unlocking a PIN</source>
            <translation>การปลดล็อก PIN</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="182"></location>
            <source>{name}'s PIN is managed by head office: change it there (loyalty-server staff set --pin).</source>
            <translation>PIN ของ {name} จัดการโดยสำนักงานใหญ่ กรุณาเปลี่ยนที่นั่น (loyalty-server staff set --pin)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="195"></location>
            <source>The new PIN must differ from the old one.</source>
            <translation>PIN ใหม่ต้องไม่ซ้ำกับ PIN เดิม</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="220"></location>
            <source>A manager resets cashiers' PINs only; a manager changes their own PIN.</source>
            <translation>ผู้จัดการรีเซ็ตได้เฉพาะ PIN ของแคชเชียร์ ผู้จัดการต้องเปลี่ยน PIN ของตัวเอง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="144"></location>
            <source>Sign-in is locked on this terminal: only a manager can sign in now.</source>
            <translation>การเข้าสู่ระบบที่เครื่องนี้ถูกล็อก: ตอนนี้เข้าสู่ระบบได้เฉพาะผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="102"></location>
            <source>Demo only: cashier PIN 1111, manager PIN 9999. Never use these PINs on a real counter.</source>
            <translation>สำหรับทดลองเท่านั้น: PIN แคชเชียร์ 1111 ผู้จัดการ 9999 ห้ามใช้ PIN เหล่านี้ที่เคาน์เตอร์จริง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="416"></location>
            <location filename="../../pos_app/ui/presenters/flags.py" line="110"></location>
            <source>Manager</source>
            <translation>ผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="417"></location>
            <source>Lockouts, security events, reset a cashier's PIN</source>
            <translation>การล็อก เหตุการณ์ด้านความปลอดภัย รีเซ็ต PIN ของแคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="418"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="201"></location>
            <source>Change PIN</source>
            <translation>เปลี่ยน PIN</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="235"></location>
            <source>The two new PINs differ: type the new PIN twice.</source>
            <translation>PIN ใหม่ทั้งสองช่องไม่ตรงกัน กรุณาพิมพ์ PIN ใหม่ให้เหมือนกันสองครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/backoffice.py" line="72"></location>
            <source>Unlocked.</source>
            <translation>ปลดล็อกแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="247"></location>
            <source>Your new PIN is saved.</source>
            <translation>บันทึก PIN ใหม่ของคุณแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="264"></location>
            <source>Signed out: choose a new PIN at your next sign-in.</source>
            <translation>ออกจากระบบแล้ว: ตั้ง PIN ใหม่เมื่อเข้าสู่ระบบครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="145"></location>
            <source>Manager: {name}</source>
            <translation>ผู้จัดการ: {name}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="204"></location>
            <source>{name}, a manager reset your PIN: choose your own PIN now.</source>
            <translation>{name} ผู้จัดการได้รีเซ็ต PIN ของคุณ กรุณาตั้ง PIN ของคุณเองตอนนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="205"></location>
            <source>{name}, choose a new PIN.</source>
            <translation>{name} กรุณาตั้ง PIN ใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="208"></location>
            <source>4 to 8 digits (managers at least 6); not one digit repeated, not a run such as 1234, not your phone number.</source>
            <translation>ตัวเลข 4 ถึง 8 หลัก (ผู้จัดการอย่างน้อย 6 หลัก) ห้ามเป็นเลขซ้ำตัวเดียว ห้ามเป็นเลขเรียงเช่น 1234 และห้ามเป็นเบอร์โทรศัพท์ของคุณ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="215"></location>
            <source>Current PIN</source>
            <translation>PIN ปัจจุบัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="216"></location>
            <source>New PIN</source>
            <translation>PIN ใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="217"></location>
            <source>New PIN again</source>
            <translation>PIN ใหม่อีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="222"></location>
            <source>Save PIN</source>
            <translation>บันทึก PIN</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="257"></location>
            <source>Manager area</source>
            <translation>ส่วนผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="259"></location>
            <source>Wrong PINs and lockouts on this terminal</source>
            <translation>PIN ที่ใส่ผิดและการล็อกที่เครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="268"></location>
            <source>Unlock</source>
            <translation>ปลดล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="272"></location>
            <source>Security events (newest first)</source>
            <translation>เหตุการณ์ด้านความปลอดภัย (ล่าสุดก่อน)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="280"></location>
            <source>Reset a cashier's PIN</source>
            <translation>รีเซ็ต PIN ของแคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="285"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="164"></location>
            <source>Temporary PIN</source>
            <translation>PIN ชั่วคราว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="286"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="165"></location>
            <source>Reset PIN</source>
            <translation>รีเซ็ต PIN</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="318"></location>
            <source>wrong PIN</source>
            <translation>PIN ผิด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="318"></location>
            <source>locked</source>
            <translation>ถูกล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="318"></location>
            <source>unlocked</source>
            <translation>ปลดล็อกแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="319"></location>
            <source>PIN changed</source>
            <translation>เปลี่ยน PIN แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="319"></location>
            <source>PIN reset</source>
            <translation>รีเซ็ต PIN แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="319"></location>
            <source>approved</source>
            <translation>อนุมัติแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="320"></location>
            <source>self-approval refused</source>
            <translation>ปฏิเสธการอนุมัติตัวเอง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="263"></location>
            <location filename="../../sync/server/console/templates/audit.html" line="7"></location>
            <source>Who</source>
            <translation>ใคร</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="263"></location>
            <source>For</source>
            <translation>สำหรับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="263"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="162"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="10"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="29"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="32"></location>
            <source>State</source>
            <translation>สถานะ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="276"></location>
            <source>Event</source>
            <translation>เหตุการณ์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="419"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="276"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="160"></location>
            <source>Staff</source>
            <translation>พนักงาน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/pins.py" line="63"></location>
            <source>Sign-in is locked on this terminal after too many wrong PINs: a manager chooses their name, signs in and unlocks it (or pos-terminal staff unlock).</source>
            <translation>การเข้าสู่ระบบที่เครื่องนี้ถูกล็อกเพราะใส่ PIN ผิดหลายครั้ง: ผู้จัดการเลือกชื่อตัวเอง เข้าสู่ระบบ แล้วปลดล็อก (หรือใช้ pos-terminal staff unlock)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="95"></location>
            <source>Refused by the server (not applied to any balance; ask a manager): {n} records, the last seq {seq}: {reason}</source>
            <translation>เซิร์ฟเวอร์ปฏิเสธ (ไม่นำไปคิดในยอดแต้มใด ๆ โปรดแจ้งผู้จัดการ): {n} รายการ ล่าสุดลำดับที่ {seq}: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="795"></location>
            <source>The amount is too large for one entry; nothing was recorded.</source>
            <translation>ยอดเงินมากเกินไปสำหรับหนึ่งรายการ ไม่ได้บันทึกสิ่งใด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="792"></location>
            <source>Points must be between -{limit:,} and {limit:,} in one entry; nothing was recorded.</source>
            <translation>แต้มต่อหนึ่งรายการต้องอยู่ระหว่าง -{limit:,} ถึง {limit:,} ไม่ได้บันทึกสิ่งใด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="798"></location>
            <source>This would take the member's balance beyond {limit:,} points; nothing was recorded.</source>
            <translation>รายการนี้จะทำให้ยอดแต้มของสมาชิกเกิน {limit:,} แต้ม ไม่ได้บันทึกสิ่งใด</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="97"></location>
            <source>Points must be a whole number between -{limit:,} and {limit:,}.</source>
            <translation>แต้มต้องเป็นจำนวนเต็มระหว่าง -{limit:,} ถึง {limit:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="127"></location>
            <location filename="../../pos_app/cli/sync_cmds.py" line="172"></location>
            <source>The server address must start with http:// or https:// followed by a host name, e.g. https://loyalty.example or http://192.168.1.10:8765.</source>
            <translation>ที่อยู่เซิร์ฟเวอร์ต้องขึ้นต้นด้วย http:// หรือ https:// ตามด้วยชื่อเครื่อง เช่น https://loyalty.example หรือ http://192.168.1.10:8765</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="940"></location>
            <source>This terminal is enrolled: before it records anything, it gets back from the loyalty server the records of its own that are newer than the backup. Connect it and run 'pos-terminal sync --once' now.</source>
            <translation>เครื่องนี้ลงทะเบียนกับเซิร์ฟเวอร์สะสมแต้มแล้ว: ก่อนบันทึกรายการใหม่ เครื่องจะดึงรายการของตัวเองที่ใหม่กว่าไฟล์สำรองกลับมาจากเซิร์ฟเวอร์ เชื่อมต่อเครือข่ายแล้วสั่ง 'pos-terminal sync --once' ตอนนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="936"></location>
            <source>Restored from {source}.</source>
            <translation>กู้คืนจาก {source} เรียบร้อย</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="938"></location>
            <source>The replaced file was kept as {path}.</source>
            <translation>ไฟล์เดิมเก็บไว้ที่ {path}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/text.py" line="55"></location>
            <source>The text contains a control character ({char}); type it again without it.</source>
            <translation>ข้อความมีอักขระควบคุม ({char}) กรุณาพิมพ์ใหม่โดยไม่มีอักขระนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/text.py" line="53"></location>
            <source>{field} contains a control character ({char}); type it again without it.</source>
            <translation>{field} มีอักขระควบคุม ({char}) กรุณาพิมพ์ใหม่โดยไม่มีอักขระนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="165"></location>
            <source>Backup {path} cannot be read as a ledger ({problem}); choose another.</source>
            <translation>อ่านไฟล์สำรอง {path} เป็นสมุดบัญชีไม่ได้ ({problem}) กรุณาเลือกไฟล์อื่น</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="169"></location>
            <source>Restore failed: {reason}</source>
            <translation>กู้คืนไม่สำเร็จ: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="663"></location>
            <source>This terminal was restored from a backup and must first get its newer records back from the loyalty server: connect it and sync (pos-terminal sync --once). Nothing was recorded.</source>
            <translation>เครื่องนี้เพิ่งกู้คืนจากไฟล์สำรอง ต้องดึงรายการที่ใหม่กว่ากลับมาจากเซิร์ฟเวอร์สะสมแต้มก่อน: เชื่อมต่อแล้วซิงก์ (pos-terminal sync --once) ยังไม่ได้บันทึกอะไร</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="1331"></location>
            <source>The server sent a record of another terminal as this terminal's own.</source>
            <translation>เซิร์ฟเวอร์ส่งรายการของเครื่องอื่นมาเป็นรายการของเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="1346"></location>
            <source>Record {seq} of this terminal came back out of order.</source>
            <translation>รายการที่ {seq} ของเครื่องนี้กลับมาผิดลำดับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="1341"></location>
            <source>Record {seq} of this terminal differs from the server's copy: this backup is not this terminal's history. Nothing was changed; call IT.</source>
            <translation>รายการที่ {seq} ของเครื่องนี้ไม่ตรงกับสำเนาบนเซิร์ฟเวอร์: ไฟล์สำรองนี้ไม่ใช่ประวัติของเครื่องนี้ ไม่มีการเปลี่ยนแปลงใด ๆ กรุณาติดต่อฝ่ายไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="271"></location>
            <source>The reason</source>
            <translation>เหตุผล</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="51"></location>
            <location filename="../../pos_app/services/identify.py" line="184"></location>
            <source>The name</source>
            <translation>ชื่อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="67"></location>
            <source>--manager-pin - reads the PIN from standard input, but it was empty.</source>
            <translation>--manager-pin - อ่าน PIN จากอินพุตมาตรฐาน แต่ไม่มีข้อมูล</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="95"></location>
            <source>Manager PIN</source>
            <translation>PIN ผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="307"></location>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="318"></location>
            <source>{amount} would be recorded for {name} with 0 points: {why}.</source>
            <translation>{amount} จะบันทึกเป็นยอดขายของ {name} ได้ 0 แต้ม: {why}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="340"></location>
            <source>Sale of {amount} recorded for {name} (receipt {receipt}). {why}. Balance {after:,}.</source>
            <translation>บันทึกยอดขาย {amount} ของ {name} แล้ว (ใบเสร็จ {receipt}) {why} คงเหลือ {after:,} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="91"></location>
            <source>{refusal}. Give the manager's PIN at a prompt (run the command in a terminal), with --manager-pin - on standard input, or in ${env}.</source>
            <translation>{refusal} ให้ใส่ PIN ผู้จัดการที่หน้าจอถาม (รันคำสั่งในเทอร์มินัล) หรือใช้ --manager-pin - ผ่านอินพุตมาตรฐาน หรือตั้งค่า ${env}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/member_codes.py" line="203"></location>
            <source>This member card was printed by a terminal that has been revoked. Look the member up by the card number or phone number and print a new card.</source>
            <translation>บัตรสมาชิกนี้พิมพ์จากเครื่องที่ถูกเพิกถอนแล้ว ให้ค้นหาสมาชิกด้วยเลขบัตรหรือเบอร์โทรศัพท์ แล้วพิมพ์บัตรใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="521"></location>
            <source>no points under the current rules</source>
            <translation>ไม่ได้แต้มตามกติกาปัจจุบัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="522"></location>
            <source>points start at {amount}</source>
            <translation>เริ่มได้แต้มที่ {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="527"></location>
            <source>0 points: {why}</source>
            <translation>0 แต้ม: {why}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/db.py" line="169"></location>
            <source>The ledger cannot be written (read-only: a permission problem, nothing is damaged): nothing was recorded. Run 'pos-terminal doctor' for the fix.</source>
            <translation>เขียนสมุดบัญชีไม่ได้ (อ่านได้อย่างเดียว: เป็นปัญหาสิทธิ์ ไม่มีอะไรเสียหาย) ไม่ได้บันทึกอะไร รัน 'pos-terminal doctor' เพื่อดูวิธีแก้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/db.py" line="103"></location>
            <source>The data folder {path} is on a read-only disk (a permission problem, nothing is damaged): mount it read-write, then try again.</source>
            <translation>โฟลเดอร์ข้อมูล {path} อยู่บนดิสก์ที่อ่านได้อย่างเดียว (เป็นปัญหาสิทธิ์ ไม่มีอะไรเสียหาย) ให้เมานต์แบบอ่านเขียนได้ แล้วลองใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/db.py" line="106"></location>
            <source>The data folder {path} is read-only for user {user} (a permission problem, nothing is damaged). Fix it with: {command}</source>
            <translation>โฟลเดอร์ข้อมูล {path} ผู้ใช้ {user} เขียนไม่ได้ (เป็นปัญหาสิทธิ์ ไม่มีอะไรเสียหาย) แก้ด้วยคำสั่ง: {command}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/db.py" line="111"></location>
            <source>The ledger file {path} cannot be written by user {user} (a permission problem, nothing is damaged). Fix it with: {command}</source>
            <translation>ผู้ใช้ {user} เขียนไฟล์สมุดบัญชี {path} ไม่ได้ (เป็นปัญหาสิทธิ์ ไม่มีอะไรเสียหาย) แก้ด้วยคำสั่ง: {command}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="155"></location>
            <source>This ledger was written by a newer version (schema {revision}; this is {mine}); install the newer version. Nothing was changed.</source>
            <translation>สมุดบัญชีนี้เขียนโดยเวอร์ชันที่ใหม่กว่า (schema {revision}; เครื่องนี้เป็น {mine}) ให้ติดตั้งเวอร์ชันที่ใหม่กว่า ไม่มีอะไรถูกเปลี่ยน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="124"></location>
            <source>The ledger {path} is empty (0 bytes) and there is no backup; nothing was created. Way out: if this is a new terminal, delete the empty file and run 'pos-terminal init'.</source>
            <translation>สมุดบัญชี {path} ว่างเปล่า (0 ไบต์) และไม่มีสำรองข้อมูล ไม่ได้สร้างอะไรใหม่ ทางแก้: ถ้าเป็นเครื่องใหม่ ให้ลบไฟล์ว่างนี้แล้วรัน 'pos-terminal init'</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="132"></location>
            <source>There is no ledger in {folder} but this terminal is enrolled ({credential}); nothing was created. Way out: put the ledger file back, or call IT to move the credential aside and enroll the terminal again.</source>
            <translation>ไม่มีสมุดบัญชีใน {folder} แต่เครื่องนี้ลงทะเบียนแล้ว ({credential}) ไม่ได้สร้างอะไรใหม่ ทางแก้: นำไฟล์สมุดบัญชีกลับมา หรือแจ้งฝ่ายไอทีให้ย้ายไฟล์รับรองออกแล้วลงทะเบียนเครื่องใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="137"></location>
            <source>There is no ledger in {folder} but it holds backups; nothing was created. Way out: restore the latest with 'pos-terminal restore' (or move the backups folder aside to start a new terminal).</source>
            <translation>ไม่มีสมุดบัญชีใน {folder} แต่มีสำรองข้อมูลอยู่ ไม่ได้สร้างอะไรใหม่ ทางแก้: กู้คืนชุดล่าสุดด้วย 'pos-terminal restore' (หรือย้ายโฟลเดอร์สำรองข้อมูลออกเพื่อเริ่มเครื่องใหม่)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="153"></location>
            <source>This ledger was written by version {version} (this is {mine}); install {version} or newer. Nothing was changed.</source>
            <translation>สมุดบัญชีนี้เขียนโดยเวอร์ชัน {version} (เครื่องนี้เป็น {mine}) ให้ติดตั้ง {version} หรือใหม่กว่า ไม่มีอะไรถูกเปลี่ยน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="117"></location>
            <source>The ledger {path} is empty (0 bytes); nothing was created or changed. Way out: restore the latest backup with 'pos-terminal restore'.</source>
            <translation>สมุดบัญชี {path} ว่างเปล่า (0 ไบต์) ไม่ได้สร้างหรือเปลี่ยนอะไร ทางแก้: กู้คืนสำรองข้อมูลล่าสุดด้วย 'pos-terminal restore'</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="120"></location>
            <source>The ledger {path} is empty (0 bytes), there is no backup, and this terminal is enrolled ({credential}); nothing was created. Way out: call IT to move both files aside and enroll the terminal again.</source>
            <translation>สมุดบัญชี {path} ว่างเปล่า (0 ไบต์) ไม่มีสำรองข้อมูล และเครื่องนี้ลงทะเบียนแล้ว ({credential}) ไม่ได้สร้างอะไรใหม่ ทางแก้: แจ้งฝ่ายไอทีให้ย้ายทั้งสองไฟล์ออกแล้วลงทะเบียนเครื่องใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="129"></location>
            <source>There is no ledger in {folder} but this terminal is enrolled ({credential}); nothing was created. Way out: restore the latest backup with 'pos-terminal restore'.</source>
            <translation>ไม่มีสมุดบัญชีใน {folder} แต่เครื่องนี้ลงทะเบียนแล้ว ({credential}) ไม่ได้สร้างอะไรใหม่ ทางแก้: กู้คืนสำรองข้อมูลล่าสุดด้วย 'pos-terminal restore'</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="506"></location>
            <source>The ledger {path} is damaged ({problem}); nothing was changed. Way out: restore the latest backup with 'pos-terminal restore', or call IT.</source>
            <translation>สมุดบัญชี {path} เสียหาย ({problem}) ไม่มีอะไรถูกเปลี่ยน ทางแก้: กู้คืนสำรองข้อมูลล่าสุดด้วย 'pos-terminal restore' หรือแจ้งฝ่ายไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="395"></location>
            <source>no sync credential (standalone)</source>
            <translation>ไม่มีไฟล์รับรองการซิงก์ (เครื่องเดี่ยว)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="394"></location>
            <source>enrolled: credential {path}</source>
            <translation>ลงทะเบียนแล้ว: ไฟล์รับรอง {path}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="398"></location>
            <source>no backup in {folder}</source>
            <translation>ไม่มีสำรองข้อมูลใน {folder}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="160"></location>
            <source>{amount} earns 0 points: {why}</source>
            <translation>{amount} ได้ 0 แต้ม: {why}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/award.py" line="205"></location>
            <source>Done: sale recorded. {why}. Balance {balance} points.</source>
            <translation>เรียบร้อย: บันทึกยอดขายแล้ว {why} คงเหลือ {balance} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/__init__.py" line="167"></location>
            <source>Not as root: the data folder {path} belongs to the counter account {user}. Run the command as that account: sudo -u {user} pos-terminal {args}</source>
            <translation>ห้ามใช้ root: โฟลเดอร์ข้อมูล {path} เป็นของบัญชีเครื่องขาย {user} ให้รันคำสั่งด้วยบัญชีนั้น: sudo -u {user} pos-terminal {args}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="124"></location>
            <source>Give the server's address with --server URL, or set [sync] server_url in terminal.toml.</source>
            <translation>ระบุที่อยู่เซิร์ฟเวอร์ด้วย --server URL หรือตั้ง [sync] server_url ใน terminal.toml</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="248"></location>
            <source>Syncing with {url} every {s} s (Ctrl-C stops).</source>
            <translation>กำลังซิงก์กับ {url} ทุก {s} วินาที (Ctrl-C เพื่อหยุด)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="984"></location>
            <source>default</source>
            <translation>ค่าเริ่มต้น</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="984"></location>
            <source>file</source>
            <translation>ไฟล์</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="984"></location>
            <source>environment</source>
            <translation>ตัวแปรสภาพแวดล้อม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="984"></location>
            <source>option</source>
            <translation>ตัวเลือก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="791"></location>
            <source>every file of the counter belongs to {user} and only it can read them</source>
            <translation>ทุกไฟล์ของเครื่องขายเป็นของ {user} และมีเพียงบัญชีนี้ที่อ่านได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="790"></location>
            <source>Fix it with: {command}</source>
            <translation>แก้ไขด้วย: {command}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/files.py" line="137"></location>
            <source>{n} files of the counter belong to another account than {user}, so the counter cannot write them: {files}</source>
            <translation>ไฟล์ของเครื่องขาย {n} ไฟล์เป็นของบัญชีอื่นที่ไม่ใช่ {user} เครื่องขายจึงเขียนไม่ได้: {files}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/files.py" line="140"></location>
            <source>{n} files of the counter are read-only: {files}</source>
            <translation>ไฟล์ของเครื่องขาย {n} ไฟล์เป็นแบบอ่านอย่างเดียว: {files}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/files.py" line="143"></location>
            <source>{n} files of the counter can be read by other users of this machine: {files}</source>
            <translation>ไฟล์ของเครื่องขาย {n} ไฟล์ผู้ใช้อื่นของเครื่องนี้อ่านได้: {files}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/files.py" line="150"></location>
            <source> and {n} more</source>
            <translation> และอีก {n} ไฟล์</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/ui_cmds.py" line="64"></location>
            <source>The counter window is already open on {path}: use that one (one window per data folder).</source>
            <translation>หน้าต่างเครื่องขายเปิดอยู่แล้วบน {path}: ใช้หน้าต่างนั้น (หนึ่งหน้าต่างต่อหนึ่งโฟลเดอร์ข้อมูล)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/backup.py" line="113"></location>
            <source>The ledger in {path} is open in another program (the counter window, the sync service or a job): close the window and stop them (sudo systemctl stop pos-terminal-sync.service pos-terminal-backup.timer), then restore again. Nothing was changed.</source>
            <translation>สมุดบัญชีใน {path} เปิดอยู่ในโปรแกรมอื่น (หน้าต่างเครื่องขาย บริการซิงก์ หรืองานตามเวลา): ปิดหน้าต่างและหยุดบริการเหล่านั้น (sudo systemctl stop pos-terminal-sync.service pos-terminal-backup.timer) แล้วกู้คืนอีกครั้ง ไม่มีอะไรถูกเปลี่ยนแปลง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/repository.py" line="485"></location>
            <source>The ledger in {path} is being restored from a backup right now: try again in a moment.</source>
            <translation>กำลังกู้คืนสมุดบัญชีใน {path} จากข้อมูลสำรองอยู่ในขณะนี้: ลองอีกครั้งในอีกสักครู่</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="179"></location>
            <source>Enrolled again as terminal {id}: a new credential; the ledger and the records waiting to be sent are kept.</source>
            <translation>ลงทะเบียนใหม่แล้วเป็นเครื่อง {id}: ได้ข้อมูลรับรองใหม่ สมุดบัญชีและรายการที่รอส่งยังอยู่ครบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="888"></location>
            <source>the sync credential is valid until {date}</source>
            <translation>ข้อมูลรับรองการซิงก์ใช้ได้ถึง {date}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="879"></location>
            <source>the sync credential expired on {date}: the server refuses this terminal. Ask head office for an enrollment code and run 'pos-terminal enroll --again --code CODE' (the ledger and the terminal id are kept).</source>
            <translation>ข้อมูลรับรองการซิงก์หมดอายุเมื่อ {date}: เซิร์ฟเวอร์ปฏิเสธเครื่องนี้ ขอรหัสลงทะเบียนจากสำนักงานใหญ่แล้วรัน 'pos-terminal enroll --again --code CODE' (สมุดบัญชีและรหัสเครื่องยังคงเดิม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="884"></location>
            <source>the sync credential expires in {days} days ({date}) and has not been renewed: check that sync works ('pos-terminal sync --once'); it renews itself at the next successful sync.</source>
            <translation>ข้อมูลรับรองการซิงก์จะหมดอายุในอีก {days} วัน ({date}) และยังไม่ได้ต่ออายุ: ตรวจว่าการซิงก์ทำงาน ('pos-terminal sync --once') ระบบจะต่ออายุเองเมื่อซิงก์สำเร็จครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="339"></location>
            <source>This terminal's credential has expired: enroll it again with a new code from the head office (pos-terminal enroll --again --code CODE); the ledger is kept.</source>
            <translation>ข้อมูลรับรองของเครื่องนี้หมดอายุแล้ว: ลงทะเบียนใหม่ด้วยรหัสใหม่จากสำนักงานใหญ่ (pos-terminal enroll --again --code CODE) สมุดบัญชียังอยู่ครบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="344"></location>
            <source>This terminal is already enrolled (an expired credential: enroll --again).</source>
            <translation>เครื่องนี้ลงทะเบียนแล้ว (ถ้าข้อมูลรับรองหมดอายุ: enroll --again)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="345"></location>
            <source>The server has no such terminal in the branch of that code: ask the head office for a code of this terminal's branch.</source>
            <translation>เซิร์ฟเวอร์ไม่มีเครื่องนี้ในสาขาของรหัสนั้น: ขอรหัสของสาขาที่เครื่องนี้อยู่จากสำนักงานใหญ่</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="347"></location>
            <source>The server's records of this terminal do not match this ledger: call IT (a ledger restored from an old backup? run 'pos-terminal doctor').</source>
            <translation>ข้อมูลของเครื่องนี้บนเซิร์ฟเวอร์ไม่ตรงกับสมุดบัญชีนี้: ติดต่อฝ่ายไอที (สมุดบัญชีที่กู้คืนจากข้อมูลสำรองเก่า? รัน 'pos-terminal doctor')</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="349"></location>
            <source>This ledger lacks some of its own records: restore the latest backup, then enroll again.</source>
            <translation>สมุดบัญชีนี้ขาดรายการของตัวเองบางส่วน: กู้คืนข้อมูลสำรองล่าสุดก่อน แล้วจึงลงทะเบียนใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="822"></location>
            <source>Cannot write the support bundle {path}: {reason}</source>
            <translation>เขียนไฟล์รวมข้อมูลสำหรับฝ่ายสนับสนุน {path} ไม่ได้: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="825"></location>
            <source>Support bundle written to {path}.</source>
            <translation>เขียนไฟล์รวมข้อมูลสำหรับฝ่ายสนับสนุนไว้ที่ {path} แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="624"></location>
            <location filename="../../pos_app/ui/screens/reports.py" line="419"></location>
            <source>Cannot write {path}: {error}</source>
            <translation>เขียนไฟล์ {path} ไม่ได้: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="328"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="19"></location>
            <source>By cashier</source>
            <translation>ตามแคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="328"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="19"></location>
            <source>By reward</source>
            <translation>ตามของรางวัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="328"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="19"></location>
            <source>By hour</source>
            <translation>ตามชั่วโมง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="330"></location>
            <source>Points awarded</source>
            <translation>แต้มที่ให้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="330"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="112"></location>
            <source>Redemptions</source>
            <translation>การแลกแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="187"></location>
            <source>A report is by cashier, reward or hour, not {by}.</source>
            <translation>รายงานแยกตามแคชเชียร์ ของรางวัล หรือชั่วโมง ไม่ใช่ {by}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="190"></location>
            <source>The report's end date {to} is before its start date {start}.</source>
            <translation>วันสิ้นสุดของรายงาน {to} อยู่ก่อนวันเริ่มต้น {start}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="193"></location>
            <source>A report covers at most {days} days.</source>
            <translation>รายงานครอบคลุมได้ไม่เกิน {days} วัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="180"></location>
            <source>{value} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-29.</source>
            <translation>{value} ไม่ใช่วันที่: เขียนเป็น YYYY-MM-DD เช่น 2026-11-29</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="329"></location>
            <source>Report {start} to {end}</source>
            <translation>รายงาน {start} ถึง {end}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="415"></location>
            <location filename="../../pos_app/ui/screens/reports.py" line="602"></location>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="2"></location>
            <source>Reports</source>
            <translation>รายงาน</translation>
        </message>
        <message>
            <source>Scan the card, or type a code, card no. or phone</source>
            <translation type="obsolete">สแกนบัตร หรือพิมพ์รหัส เลขบัตร หรือเบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="423"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="349"></location>
            <source>Return a receipt</source>
            <translation>คืนสินค้าตามใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="369"></location>
            <source>Last entries</source>
            <translation>รายการล่าสุด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/returns.py" line="153"></location>
            <source>Done: receipt {receipt} returned, {points} points taken back.</source>
            <translation>เรียบร้อย: คืนสินค้าใบเสร็จ {receipt} แล้ว หักแต้มคืน {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/returns.py" line="135"></location>
            <source>Not returned: no manager approval.</source>
            <translation>ยังไม่ได้คืน: ผู้จัดการไม่ได้อนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/returns.py" line="157"></location>
            <source>New balance {balance} points.</source>
            <translation>ยอดคงเหลือใหม่ {balance} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/returns.py" line="156"></location>
            <source>{points} points given back.</source>
            <translation>คืนแต้มที่แลกไป {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="424"></location>
            <source>Saved {path}</source>
            <translation>บันทึกแล้วที่ {path}</translation>
        </message>
        <message>
            <source>Report</source>
            <translation type="obsolete">รายงาน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="236"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="6"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="6"></location>
            <source>From</source>
            <translation>ตั้งแต่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="237"></location>
            <source>to</source>
            <translation>ถึง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="284"></location>
            <source>Export CSV</source>
            <translation>ส่งออก CSV</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="356"></location>
            <source>Scan or type the receipt number</source>
            <translation>สแกนหรือพิมพ์เลขที่ใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="360"></location>
            <source>Whole receipt</source>
            <translation>ทั้งใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="362"></location>
            <location filename="../../pos_app/ui/presenters/returns.py" line="41"></location>
            <source>Refund (baht)</source>
            <translation>ยอดคืนเงิน (บาท)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="373"></location>
            <source>Show  [Enter]</source>
            <translation>ดูรายละเอียด  [Enter]</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="375"></location>
            <location filename="../../pos_app/ui/presenters/flags.py" line="15"></location>
            <location filename="../../pos_app/ui/slips.py" line="115"></location>
            <source>Return</source>
            <translation>คืนสินค้า</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="240"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="8"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="8"></location>
            <source>Show</source>
            <translation>แสดง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="22"></location>
            <source>Hour</source>
            <translation>ชั่วโมง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="108"></location>
            <source>Awards and redemptions from {start} to {end}</source>
            <translation>การให้แต้มและการแลกแต้ม ตั้งแต่ {start} ถึง {end}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="19"></location>
            <source>Earned</source>
            <translation>ได้แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="21"></location>
            <source>Returned</source>
            <translation>คืนสินค้า</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="22"></location>
            <source>Adjusted</source>
            <translation>ปรับแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="23"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="21"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="36"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="42"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="21"></location>
            <source>Expired</source>
            <translation>แต้มหมดอายุ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="24"></location>
            <source>Overdraft</source>
            <translation>แต้มติดลบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="72"></location>
            <source>Receipt {receipt} of {when}: {name} earned {points} points on {amount}.</source>
            <translation>ใบเสร็จ {receipt} วันที่ {when}: {name} ได้ {points} แต้ม จากยอด {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="80"></location>
            <source>This return refunds {amount} and takes back {points} points.</source>
            <translation>คืนเงิน {amount} และหักแต้มคืน {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="89"></location>
            <source>Balance {before} -&gt; {after} points.</source>
            <translation>ยอดแต้ม {before} -&gt; {after} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="78"></location>
            <source>Already returned before: {amount}.</source>
            <translation>เคยคืนไปแล้ว: {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="87"></location>
            <source>{points} points redeemed on this receipt are given back.</source>
            <translation>แต้มที่แลกในใบเสร็จนี้ {points} แต้ม ได้คืน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="111"></location>
            <source>Refund</source>
            <translation>คืนเงิน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="113"></location>
            <source>Points given back</source>
            <translation>แต้มที่ได้คืน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1111"></location>
            <source>administrator</source>
            <translation>ผู้ดูแลระบบ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1111"></location>
            <source>marketing</source>
            <translation>การตลาด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1111"></location>
            <source>operations</source>
            <translation>ฝ่ายปฏิบัติการ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1112"></location>
            <source>customer support</source>
            <translation>ฝ่ายบริการลูกค้า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1112"></location>
            <source>area manager</source>
            <translation>ผู้จัดการเขต</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1112"></location>
            <source>read-only</source>
            <translation>ดูอย่างเดียว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1416"></location>
            <source>revoked</source>
            <translation>ถูกเพิกถอน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1420"></location>
            <source>old version</source>
            <translation>เวอร์ชันเก่า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1422"></location>
            <source>credential expires soon</source>
            <translation>สิทธิ์เชื่อมต่อใกล้หมดอายุ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1418"></location>
            <source>not syncing</source>
            <translation>ไม่ได้ซิงก์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/audit.html" line="2"></location>
            <location filename="../../sync/server/console/templates/audit.html" line="4"></location>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <source>Audit log</source>
            <translation>บันทึกการแก้ไข</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/audit.html" line="2"></location>
            <location filename="../../sync/server/console/templates/base.html" line="6"></location>
            <location filename="../../sync/server/console/templates/base.html" line="12"></location>
            <location filename="../../sync/server/console/templates/branches.html" line="2"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="2"></location>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="2"></location>
            <location filename="../../sync/server/console/templates/flags.html" line="2"></location>
            <location filename="../../sync/server/console/templates/login.html" line="2"></location>
            <location filename="../../sync/server/console/templates/login.html" line="5"></location>
            <location filename="../../sync/server/console/templates/member.html" line="2"></location>
            <location filename="../../sync/server/console/templates/members.html" line="2"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="2"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="2"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="2"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="2"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="2"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="2"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="2"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="2"></location>
            <source>Loyalty console</source>
            <translation>คอนโซลสมาชิก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/audit.html" line="7"></location>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <source>When (UTC)</source>
            <translation>เวลา (UTC)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/audit.html" line="7"></location>
            <location filename="../../sync/server/console/templates/flags.html" line="10"></location>
            <source>Action</source>
            <translation>การดำเนินการ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/audit.html" line="7"></location>
            <source>Target</source>
            <translation>รายการ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/audit.html" line="7"></location>
            <source>Before</source>
            <translation>ก่อน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/audit.html" line="7"></location>
            <source>After</source>
            <translation>หลัง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="2"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="4"></location>
            <source>Dashboard</source>
            <translation>แดชบอร์ด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="16"></location>
            <location filename="../../sync/server/console/templates/members.html" line="2"></location>
            <location filename="../../sync/server/console/templates/members.html" line="4"></location>
            <source>Members</source>
            <translation>สมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="604"></location>
            <location filename="../../pos_app/ui/screens/reports.py" line="618"></location>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/flags.html" line="2"></location>
            <location filename="../../sync/server/console/templates/flags.html" line="4"></location>
            <location filename="../../sync/server/console/templates/member.html" line="58"></location>
            <source>Flags</source>
            <translation>รายการที่ต้องตรวจ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/branches.html" line="19"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="2"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="4"></location>
            <source>Terminals</source>
            <translation>เครื่องขาย</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="7"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="7"></location>
            <source>To</source>
            <translation>ถึง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="12"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="14"></location>
            <source>Points issued</source>
            <translation>แต้มที่ให้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="14"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="16"></location>
            <source>Points expired</source>
            <translation>แต้มที่หมดอายุ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="15"></location>
            <source>Outstanding points (liability)</source>
            <translation>แต้มคงค้าง (ภาระผูกพัน)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="17"></location>
            <source>Terminals synced in the last 24 hours</source>
            <translation>เครื่องที่ซิงก์ใน 24 ชั่วโมงล่าสุด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="19"></location>
            <source>Per day</source>
            <translation>รายวัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="21"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="36"></location>
            <location filename="../../sync/server/console/templates/dashboard.html" line="42"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="21"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="8"></location>
            <source>Issued</source>
            <translation>ให้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="23"></location>
            <source>Points per day</source>
            <translation>แต้มรายวัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="36"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="21"></location>
            <source>Day</source>
            <translation>วันที่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="40"></location>
            <source>Per branch</source>
            <translation>รายสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="43"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="27"></location>
            <source>Nothing in this period.</source>
            <translation>ไม่มีรายการในช่วงนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="5"></location>
            <source>Resolved.</source>
            <translation>ปิดรายการแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="7"></location>
            <source>Show open flags only</source>
            <translation>แสดงเฉพาะรายการที่ยังเปิดอยู่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="7"></location>
            <source>Show resolved flags too</source>
            <translation>แสดงรายการที่ปิดแล้วด้วย</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="10"></location>
            <location filename="../../sync/server/console/templates/member.html" line="60"></location>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <source>Kind</source>
            <translation>ประเภท</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="10"></location>
            <source>Details</source>
            <translation>รายละเอียด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="71"></location>
            <location filename="../../sync/server/console/templates/flags.html" line="10"></location>
            <location filename="../../sync/server/console/templates/member.html" line="60"></location>
            <source>Raised</source>
            <translation>เกิดเมื่อ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="19"></location>
            <source>What was done</source>
            <translation>สิ่งที่ดำเนินการ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="19"></location>
            <source>Note</source>
            <translation>หมายเหตุ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="20"></location>
            <source>Resolve</source>
            <translation>ปิดรายการ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/flags.html" line="23"></location>
            <source>No open flags.</source>
            <translation>ไม่มีรายการที่ต้องตรวจ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/login.html" line="9"></location>
            <source>User name</source>
            <translation>ชื่อผู้ใช้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/login.html" line="11"></location>
            <source>Password</source>
            <translation>รหัสผ่าน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="9"></location>
            <source>Saved.</source>
            <translation>บันทึกแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="13"></location>
            <location filename="../../sync/server/console/templates/members.html" line="13"></location>
            <source>Balance</source>
            <translation>แต้มคงเหลือ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="14"></location>
            <location filename="../../sync/server/console/templates/members.html" line="13"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="77"></location>
            <source>Tier</source>
            <translation>ระดับ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="15"></location>
            <location filename="../../sync/server/console/templates/members.html" line="13"></location>
            <source>Card</source>
            <translation>บัตร</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="16"></location>
            <source>Enrolled</source>
            <translation>สมัครเมื่อ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="17"></location>
            <location filename="../../sync/server/console/templates/member.html" line="27"></location>
            <source>Offline redemption</source>
            <translation>การแลกแต้มแบบออฟไลน์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="17"></location>
            <source>blocked</source>
            <translation>ถูกระงับ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="17"></location>
            <source>allowed</source>
            <translation>อนุญาต</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="20"></location>
            <source>Adjust points</source>
            <translation>ปรับแต้ม</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="23"></location>
            <source>Points (+ or -)</source>
            <translation>แต้ม (+ หรือ -)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="24"></location>
            <location filename="../../sync/server/console/templates/member.html" line="31"></location>
            <source>Reason</source>
            <translation>เหตุผล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="25"></location>
            <source>Adjust</source>
            <translation>ปรับ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="60"></location>
            <source>Resolved</source>
            <translation>ปิดแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="61"></location>
            <source>open</source>
            <translation>เปิดอยู่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="25"></location>
            <location filename="../../sync/server/console/templates/member.html" line="61"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="30"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="18"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="21"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="35"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="37"></location>
            <source>None.</source>
            <translation>ไม่มี</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="63"></location>
            <source>History (all branches)</source>
            <translation>ประวัติ (ทุกสาขา)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="110"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="185"></location>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <source>Amount</source>
            <translation>ยอดเงิน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="66"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="32"></location>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="3"></location>
            <source>Terminal</source>
            <translation>เครื่องขาย</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="69"></location>
            <source>quarantined</source>
            <translation>ถูกกักไว้ตรวจ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/members.html" line="6"></location>
            <source>Phone, card number or name</source>
            <translation>เบอร์โทร เลขบัตร หรือชื่อ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/members.html" line="8"></location>
            <source>Search</source>
            <translation>ค้นหา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/members.html" line="16"></location>
            <source>merged</source>
            <translation>รวมแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/members.html" line="19"></location>
            <source>No member matches.</source>
            <translation>ไม่พบสมาชิก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/message.html" line="5"></location>
            <source>Back to the dashboard</source>
            <translation>กลับไปที่แดชบอร์ด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="29"></location>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Version</source>
            <translation>เวอร์ชัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Last sync (UTC)</source>
            <translation>ซิงก์ล่าสุด (UTC)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Records received</source>
            <translation>รายการที่ได้รับ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="15"></location>
            <source>ok</source>
            <translation>ปกติ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="18"></location>
            <source>No terminals enrolled yet.</source>
            <translation>ยังไม่มีเครื่องที่ลงทะเบียน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1116"></location>
            <source>Wrong user name or password.</source>
            <translation>ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1117"></location>
            <source>Too many failed sign-ins: this account is locked for a while. Try again later or ask an administrator.</source>
            <translation>เข้าสู่ระบบผิดหลายครั้งเกินไป บัญชีนี้ถูกล็อกชั่วคราว ลองใหม่ภายหลังหรือติดต่อผู้ดูแลระบบ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="159"></location>
            <source>Not allowed</source>
            <translation>ไม่มีสิทธิ์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="160"></location>
            <source>Your role does not allow this page or action.</source>
            <translation>บทบาทของคุณไม่มีสิทธิ์ใช้หน้านี้หรือการดำเนินการนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="173"></location>
            <location filename="../../sync/server/console/pages.py" line="212"></location>
            <source>This form has expired or did not come from this console: open the page again and repeat.</source>
            <translation>แบบฟอร์มนี้หมดอายุหรือไม่ได้มาจากคอนโซลนี้ เปิดหน้าใหม่แล้วทำอีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="272"></location>
            <location filename="../../sync/server/console/pages.py" line="302"></location>
            <location filename="../../sync/server/console/pages.py" line="313"></location>
            <location filename="../../sync/server/console/pages.py" line="348"></location>
            <location filename="../../sync/server/console/pages.py" line="380"></location>
            <location filename="../../sync/server/console/pages.py" line="447"></location>
            <location filename="../../sync/server/console/pages.py" line="477"></location>
            <location filename="../../sync/server/console/pages.py" line="613"></location>
            <location filename="../../sync/server/console/pages.py" line="640"></location>
            <location filename="../../sync/server/console/pages.py" line="679"></location>
            <location filename="../../sync/server/console/pages.py" line="760"></location>
            <location filename="../../sync/server/console/pages.py" line="806"></location>
            <location filename="../../sync/server/console/pages.py" line="864"></location>
            <location filename="../../sync/server/console/pages.py" line="939"></location>
            <location filename="../../sync/server/console/pages.py" line="963"></location>
            <location filename="../../sync/server/console/pages.py" line="977"></location>
            <location filename="../../sync/server/console/pages.py" line="993"></location>
            <location filename="../../sync/server/console/pages.py" line="1035"></location>
            <location filename="../../sync/server/console/pages.py" line="1062"></location>
            <location filename="../../sync/server/console/pages.py" line="1102"></location>
            <source>Not found</source>
            <translation>ไม่พบ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="272"></location>
            <location filename="../../sync/server/console/pages.py" line="303"></location>
            <location filename="../../sync/server/console/pages.py" line="313"></location>
            <location filename="../../sync/server/console/pages.py" line="349"></location>
            <location filename="../../sync/server/console/pages.py" line="380"></location>
            <location filename="../../sync/server/console/pages.py" line="447"></location>
            <location filename="../../sync/server/console/pages.py" line="478"></location>
            <source>No such member.</source>
            <translation>ไม่พบสมาชิกนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="510"></location>
            <source>Write a note: what was done about it.</source>
            <translation>เขียนหมายเหตุว่าได้ดำเนินการอย่างไร</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="305"></location>
            <source>Not adjusted: give non-zero points within the limits and a reason.</source>
            <translation>ไม่ได้ปรับ: ระบุแต้มที่ไม่เป็นศูนย์ภายในขีดจำกัด และเหตุผล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="524"></location>
            <source>That flag is not open (already resolved?).</source>
            <translation>รายการนี้ไม่ได้เปิดอยู่ (ปิดไปแล้วหรือไม่?)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/dashboard.html" line="10"></location>
            <location filename="../../sync/server/console/templates/reports.html" line="11"></location>
            <source>The totals are still catching up with recent records: figures may grow on the next refresh.</source>
            <translation>ยอดรวมยังตามรายการล่าสุดไม่ทัน ตัวเลขอาจเพิ่มขึ้นเมื่อรีเฟรชครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1425"></location>
            <source>printer failing</source>
            <translation>เครื่องพิมพ์มีปัญหา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1427"></location>
            <source>camera missing</source>
            <translation>ไม่พบกล้อง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1429"></location>
            <source>doctor failing</source>
            <translation>การตรวจเครื่องไม่ผ่าน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1432"></location>
            <source>no recent backup</source>
            <translation>ไม่มีข้อมูลสำรองล่าสุด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1434"></location>
            <source>disk nearly full</source>
            <translation>พื้นที่ดิสก์ใกล้เต็ม</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Waiting</source>
            <translation>รอส่ง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Printer</source>
            <translation>เครื่องพิมพ์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Last backup (UTC)</source>
            <translation>สำรองข้อมูลล่าสุด (UTC)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="10"></location>
            <source>Doctor</source>
            <translation>ผลตรวจเครื่อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/sync_cmds.py" line="157"></location>
            <source>Joined the chain as terminal {id} in branch {branch}, keeping this terminal's members, points and printed cards: {sent} records sent to the server, {queued} still to send (sync sends them).</source>
            <translation>เข้าร่วมเครือข่ายแล้วเป็นเครื่อง {id} สาขา {branch} โดยเก็บสมาชิก แต้ม และบัตรที่พิมพ์แล้วของเครื่องนี้ไว้ทั้งหมด: ส่งไปยังเซิร์ฟเวอร์แล้ว {sent} รายการ เหลือรอส่ง {queued} รายการ (การซิงก์จะส่งให้)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/sync_store.py" line="197"></location>
            <source>this ledger holds members or entries that came from a loyalty server</source>
            <translation>บัญชีนี้มีสมาชิกหรือรายการที่มาจากเซิร์ฟเวอร์สะสมแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ledger/sync_store.py" line="194"></location>
            <source>this ledger was enrolled with {url} before</source>
            <translation>บัญชีนี้เคยลงทะเบียนกับ {url} มาก่อน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="353"></location>
            <source>This terminal has records and was enrolled with a loyalty server before ({reason}): it cannot join a chain with them. It stays standalone; call IT (a data folder copied from another terminal?).</source>
            <translation>เครื่องนี้มีรายการอยู่และเคยลงทะเบียนกับเซิร์ฟเวอร์สะสมแต้มมาก่อน ({reason}): นำรายการเหล่านี้เข้าร่วมเครือข่ายไม่ได้ เครื่องนี้จะใช้งานเดี่ยวต่อไป แจ้งไอที (โฟลเดอร์ข้อมูลคัดลอกมาจากเครื่องอื่นหรือไม่?)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="356"></location>
            <source>This terminal holds demo data (pos-terminal init --demo): it cannot join a chain with it. Start a new, empty data folder for the shop.</source>
            <translation>เครื่องนี้มีข้อมูลสาธิต (pos-terminal init --demo): นำเข้าร่วมเครือข่ายไม่ได้ เริ่มโฟลเดอร์ข้อมูลใหม่ที่ว่างสำหรับร้าน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="358"></location>
            <source>The server could not check this terminal's card-signing key: call IT (the key file in the data folder may have been replaced).</source>
            <translation>เซิร์ฟเวอร์ตรวจกุญแจลงนามบัตรของเครื่องนี้ไม่ผ่าน: แจ้งไอที (ไฟล์กุญแจในโฟลเดอร์ข้อมูลอาจถูกเปลี่ยน)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="360"></location>
            <source>The server already has a terminal with this id and another key or branch: call IT.</source>
            <translation>เซิร์ฟเวอร์มีเครื่องที่ใช้รหัสนี้อยู่แล้วแต่กุญแจหรือสาขาต่างกัน: แจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="361"></location>
            <source>The server already has this terminal's card-signing key for another terminal: call IT.</source>
            <translation>เซิร์ฟเวอร์มีกุญแจลงนามบัตรของเครื่องนี้อยู่แล้วสำหรับเครื่องอื่น: แจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="362"></location>
            <source>The server answered for another terminal: call IT.</source>
            <translation>เซิร์ฟเวอร์ตอบกลับสำหรับเครื่องอื่น: แจ้งไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="853"></location>
            <source>updates signed by key {fingerprint} are installed in the quiet time (channel {channel})</source>
            <translation>อัปเดตที่ลงนามด้วยกุญแจ {fingerprint} จะติดตั้งในช่วงเวลาเงียบ (ช่อง {channel})</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="850"></location>
            <source>version {version} rolled back at {when}: the version before runs with its own ledger; see 'pos-terminal update status'</source>
            <translation>เวอร์ชัน {version} ถูกย้อนกลับเมื่อ {when}: เวอร์ชันก่อนหน้าทำงานกับสมุดบัญชีของตัวเอง ดู 'pos-terminal update status'</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="47"></location>
            <source>No update key is pinned ([update] public_key in terminal.toml): updates from the server are never installed.</source>
            <translation>ยังไม่ได้กำหนดกุญแจอัปเดต ([update] public_key ใน terminal.toml): จะไม่ติดตั้งอัปเดตจากเซิร์ฟเวอร์เลย</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="53"></location>
            <source>Version {version} is downloaded and verified; it is installed in the quiet time {window}.</source>
            <translation>ดาวน์โหลดและตรวจสอบเวอร์ชัน {version} แล้ว จะติดตั้งในช่วงเวลาเงียบ {window}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="54"></location>
            <source>Up to date: version {installed} is the current release of channel {channel}.</source>
            <translation>เป็นเวอร์ชันล่าสุดแล้ว: เวอร์ชัน {installed} คือรุ่นปัจจุบันของช่อง {channel}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="55"></location>
            <source>No release is published on channel {channel}.</source>
            <translation>ยังไม่มีรุ่นที่เผยแพร่ในช่อง {channel}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="56"></location>
            <source>Version {version} is available, but no update key is pinned ([update] public_key): it is never installed.</source>
            <translation>มีเวอร์ชัน {version} แต่ยังไม่ได้กำหนดกุญแจอัปเดต ([update] public_key): จะไม่ติดตั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="58"></location>
            <source>Update refused, nothing installed: {message}</source>
            <translation>ปฏิเสธอัปเดต ไม่ได้ติดตั้งอะไร: {message}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="59"></location>
            <source>Update check not finished (tried again at the next sync): {message}</source>
            <translation>ตรวจหาอัปเดตไม่เสร็จ (จะลองอีกครั้งเมื่อซิงค์ครั้งถัดไป): {message}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="63"></location>
            <source>(none set by head office)</source>
            <translation>(สำนักงานใหญ่ยังไม่ได้กำหนด)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="91"></location>
            <source>Last check: never (it runs with every sync).</source>
            <translation>ตรวจล่าสุด: ยังไม่เคย (ตรวจทุกครั้งที่ซิงค์)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="85"></location>
            <source>Version in use: {version}; channel {channel}</source>
            <translation>เวอร์ชันที่ใช้อยู่: {version} ช่อง {channel}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="90"></location>
            <source>Last check: {when}: {what}</source>
            <translation>ตรวจล่าสุด: {when}: {what}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="94"></location>
            <source>Last install attempt: {when}: {what}</source>
            <translation>ติดตั้งครั้งล่าสุด: {when}: {what}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/update_cmds.py" line="150"></location>
            <source>--now: not a date and time such as 2026-12-01T03:00: {text}</source>
            <translation>--now: ไม่ใช่วันและเวลาแบบ 2026-12-01T03:00: {text}</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="232"></location>
            <source>a channel name of lowercase letters, digits and dashes, e.g. stable</source>
            <translation>ชื่อช่องที่เป็นอักษรตัวเล็ก ตัวเลข และขีด เช่น stable</translation>
        </message>
        <message>
            <location filename="../../pos_app/config.py" line="215"></location>
            <location filename="../../pos_app/config.py" line="223"></location>
            <source>the base64 public key printed by 'loyalty-server release keygen', or "" for none</source>
            <translation>กุญแจสาธารณะแบบ base64 ที่ 'loyalty-server release keygen' พิมพ์ออกมา หรือ "" ถ้าไม่มี</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="316"></location>
            <source>{reason}: nothing installed</source>
            <translation>{reason}: ไม่ได้ติดตั้งอะไร</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="331"></location>
            <source>no verified update is waiting (see 'pos-terminal update status')</source>
            <translation>ไม่มีอัปเดตที่ตรวจสอบแล้วรออยู่ (ดู 'pos-terminal update status')</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="337"></location>
            <source>the update folder's release.json is damaged: run 'pos-terminal update check'</source>
            <translation>ไฟล์ release.json ในโฟลเดอร์อัปเดตเสียหาย: สั่ง 'pos-terminal update check'</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="341"></location>
            <source>no update key is pinned ([update] public_key in /etc/pos-terminal/terminal.toml): nothing installed</source>
            <translation>ยังไม่ได้กำหนดกุญแจอัปเดต ([update] public_key ใน /etc/pos-terminal/terminal.toml): ไม่ได้ติดตั้งอะไร</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="354"></location>
            <source>version {version} is not newer than {installed} in use: nothing to install</source>
            <translation>เวอร์ชัน {version} ไม่ใหม่กว่า {installed} ที่ใช้อยู่: ไม่มีอะไรต้องติดตั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="357"></location>
            <source>version {version} rolled back before: it is not tried again until a newer version is published (or 'pos-terminal update apply --retry')</source>
            <translation>เวอร์ชัน {version} เคยถูกย้อนกลับ: จะไม่ลองอีกจนกว่าจะมีเวอร์ชันใหม่กว่าเผยแพร่ (หรือ 'pos-terminal update apply --retry')</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="362"></location>
            <source>version {version} waits: head office set no quiet-time window ('loyalty-server release window')</source>
            <translation>เวอร์ชัน {version} รออยู่: สำนักงานใหญ่ยังไม่ได้กำหนดช่วงเวลาเงียบ ('loyalty-server release window')</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="365"></location>
            <source>version {version} waits for the quiet time {start}-{end} (now {now})</source>
            <translation>เวอร์ชัน {version} รอช่วงเวลาเงียบ {start}-{end} (ตอนนี้ {now})</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="369"></location>
            <source>version {version} waits: the counter window is open (it installs when the window is closed in the quiet time)</source>
            <translation>เวอร์ชัน {version} รออยู่: หน้าต่างเคาน์เตอร์เปิดอยู่ (จะติดตั้งเมื่อปิดหน้าต่างในช่วงเวลาเงียบ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="232"></location>
            <location filename="../../pos_app/updates.py" line="400"></location>
            <source>installed version {version} (was {installed})</source>
            <translation>ติดตั้งเวอร์ชัน {version} แล้ว (เดิม {installed})</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="387"></location>
            <source>cannot read the package: {error}</source>
            <translation>อ่านแพ็กเกจไม่ได้: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="404"></location>
            <source>version {version} failed its check and was rolled back: {installed} runs again with its own ledger</source>
            <translation>เวอร์ชัน {version} ไม่ผ่านการตรวจและถูกย้อนกลับ: {installed} ทำงานอีกครั้งกับสมุดบัญชีของตัวเอง</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="409"></location>
            <source>upgrade.sh refused version {version}: {reason}</source>
            <translation>upgrade.sh ปฏิเสธเวอร์ชัน {version}: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="1050"></location>
            <source>This terminal is enrolled: its rules come from head office with sync.</source>
            <translation>เครื่องนี้ลงทะเบียนกับสำนักงานใหญ่แล้ว: กฎจะมาจากสำนักงานใหญ่เมื่อซิงค์</translation>
        </message>
        <message>
            <source>--preview works in baht only; leave out --currency.</source>
            <translation type="obsolete">--preview ใช้ได้กับเงินบาทเท่านั้น ให้ตัด --currency ออก</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="301"></location>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="331"></location>
            <source>{money} (= {baht} at {rate})</source>
            <translation>{money} (= {baht} ที่อัตรา {rate})</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="474"></location>
            <location filename="../../pos_app/ui/presenters/history.py" line="64"></location>
            <source>{money} (= {baht})</source>
            <translation>{money} (= {baht})</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="1032"></location>
            <source>Rates to THB (from):</source>
            <translation>อัตราแลกเปลี่ยนเป็นบาท (มีผลตั้งแต่):</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="1057"></location>
            <source>Rules version {version} installed and active.</source>
            <translation>ติดตั้งกฎเวอร์ชัน {version} และเริ่มใช้แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="1028"></location>
            <source>Rules version {version}</source>
            <translation>กฎเวอร์ชัน {version}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="1029"></location>
            <source>Earning: 1 point per {amount}</source>
            <translation>การได้แต้ม: 1 แต้มต่อ {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="1030"></location>
            <source>Currencies taken here: {codes}</source>
            <translation>สกุลเงินที่รับที่นี่: {codes}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="1034"></location>
            <source>(not taken at this branch)</source>
            <translation>(สาขานี้ไม่รับ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="74"></location>
            <source>A rate to THB is a positive decimal such as 35.8125 (written as text).</source>
            <translation>อัตราแลกเปลี่ยนเป็นบาทต้องเป็นทศนิยมบวก เช่น 35.8125 (เขียนเป็นข้อความ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="117"></location>
            <location filename="../../pos_app/core/currency.py" line="140"></location>
            <source>The amount is too large.</source>
            <translation>จำนวนเงินมากเกินไป</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="50"></location>
            <source>“{code}” is not a currency code (ISO 4217, for example USD).</source>
            <translation>“{code}” ไม่ใช่รหัสสกุลเงิน (ISO 4217 เช่น USD)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="132"></location>
            <source>An amount in {code} has no decimal places, for example 1,000.</source>
            <translation>จำนวนเงินสกุล {code} ไม่มีทศนิยม เช่น 1,000</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="134"></location>
            <source>An amount in {code} has at most {n} decimal places.</source>
            <translation>จำนวนเงินสกุล {code} มีทศนิยมได้ไม่เกิน {n} ตำแหน่ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="175"></location>
            <source>There is no rate for {code} in the rules (version {version}); nothing was recorded.</source>
            <translation>กฎ (เวอร์ชัน {version}) ไม่มีอัตราแลกเปลี่ยนของ {code} จึงไม่ได้บันทึกอะไร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="179"></location>
            <source>This branch does not take {code} (it takes {taken}); nothing was recorded.</source>
            <translation>สาขานี้ไม่รับ {code} (รับ {taken}) จึงไม่ได้บันทึกอะไร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="183"></location>
            <source>There is no rate for {code} yet at the time of this sale; nothing was recorded.</source>
            <translation>ยังไม่มีอัตราแลกเปลี่ยนของ {code} ณ เวลาที่ขาย จึงไม่ได้บันทึกอะไร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/currency.py" line="187"></location>
            <source>{amount} is less than one satang; nothing was recorded.</source>
            <translation>{amount} น้อยกว่าหนึ่งสตางค์ จึงไม่ได้บันทึกอะไร</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="237"></location>
            <source>THB needs no rate: it is the home currency.</source>
            <translation>เงินบาทไม่ต้องมีอัตราแลกเปลี่ยน เพราะเป็นสกุลเงินหลัก</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="240"></location>
            <source>A rate's valid_from</source>
            <translation>valid_from ของอัตราแลกเปลี่ยน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="259"></location>
            <source>currencies.rates must hold FxRate values.</source>
            <translation>currencies.rates ต้องเป็นค่า FxRate</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="261"></location>
            <source>Two rates of one currency start at the same time.</source>
            <translation>มีอัตราแลกเปลี่ยนของสกุลเงินเดียวกันสองอัตราที่เริ่มพร้อมกัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="265"></location>
            <location filename="../../pos_app/core/rules.py" line="271"></location>
            <source>currencies.branches must map branch ids to currency codes.</source>
            <translation>currencies.branches ต้องจับคู่รหัสสาขากับรหัสสกุลเงิน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="275"></location>
            <source>Branch {branch} takes {codes} but the rules have no rate for it.</source>
            <translation>สาขา {branch} รับ {codes} แต่กฎไม่มีอัตราแลกเปลี่ยนของสกุลนั้น</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="155"></location>
            <source>Paid in other currencies (included above in baht)</source>
            <translation>ชำระด้วยสกุลเงินอื่น (รวมอยู่ในยอดบาทด้านบนแล้ว)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="156"></location>
            <source>{code}: {n:,} sales, {money} = {baht}</source>
            <translation>{code}: {n:,} รายการขาย, {money} = {baht}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="129"></location>
            <source>Receipt {receipt} was paid in {code}: give the refund in {code}.</source>
            <translation>ใบเสร็จ {receipt} ชำระด้วย {code}: ให้คืนเงินเป็น {code}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/returns.py" line="120"></location>
            <source>Receipt {receipt} was paid in baht: give the refund in baht.</source>
            <translation>ใบเสร็จ {receipt} ชำระด้วยเงินบาท: ให้คืนเงินเป็นบาท</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="299"></location>
            <location filename="../../pos_app/services/earn.py" line="129"></location>
            <source>Category lines are in baht: record a sale in another currency without them.</source>
            <translation>รายการตามหมวดเป็นเงินบาท: บันทึกการขายด้วยสกุลเงินอื่นโดยไม่ต้องแยกหมวด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/currency_picker.py" line="43"></location>
            <source>Currency the bill was paid in</source>
            <translation>สกุลเงินที่ใช้ชำระ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="503"></location>
            <source>award</source>
            <translation>การให้แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="503"></location>
            <source>redemption</source>
            <translation>การแลกแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="503"></location>
            <source>adjustment</source>
            <translation>การปรับแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="521"></location>
            <source>Give --entry ENTRY_ID to void, or --list to see what can be voided.</source>
            <translation>ระบุ --entry ENTRY_ID เพื่อยกเลิกรายการ หรือ --list เพื่อดูรายการที่ยกเลิกได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="529"></location>
            <source>Nothing can be voided now.</source>
            <translation>ตอนนี้ไม่มีรายการที่ยกเลิกได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="241"></location>
            <source>No member's name contains {text}.</source>
            <translation>ไม่พบสมาชิกที่ชื่อมีคำว่า {text}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="534"></location>
            <source>Voided the {kind} {entry}: {points:+,} points. Balance {before:,} -&gt; {after:,}.</source>
            <translation>ยกเลิก{kind} {entry} แล้ว: {points:+,} แต้ม ยอดแต้ม {before:,} -&gt; {after:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="526"></location>
            <source>{entry}  {kind} of {points:+,} points, {name}{receipt}, until {until}</source>
            <translation>{entry}  {kind} {points:+,} แต้ม, {name}{receipt}, ยกเลิกได้ถึง {until}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="240"></location>
            <source>card ...{digits}</source>
            <translation>บัตร ...{digits}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="119"></location>
            <source>The ledger could not be used ({error}); nothing was recorded.</source>
            <translation>ใช้สมุดบัญชีแต้มไม่ได้ ({error}) ยังไม่มีการบันทึกใด ๆ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/member_search.py" line="41"></location>
            <source>Type at least {n} letters of the name.</source>
            <translation>พิมพ์ชื่ออย่างน้อย {n} ตัวอักษร</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/member_search.py" line="43"></location>
            <source>A name to search is at most {n} letters.</source>
            <translation>ชื่อที่ค้นหายาวได้ไม่เกิน {n} ตัวอักษร</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/member_search.py" line="51"></location>
            <source>Show 1 to {n} members.</source>
            <translation>แสดงสมาชิกได้ 1 ถึง {n} คน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="84"></location>
            <source>Only an award, a redemption or an adjustment made at this counter can be voided; for a return use 'return'.</source>
            <translation>ยกเลิกได้เฉพาะการให้แต้ม การแลกแต้ม หรือการปรับแต้มที่ทำที่เคาน์เตอร์นี้ ถ้าเป็นการคืนสินค้าให้ใช้ 'return'</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="151"></location>
            <source>a void</source>
            <translation>การยกเลิกรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="82"></location>
            <source>No entry {entry_id} on this terminal.</source>
            <translation>ไม่พบรายการ {entry_id} ในเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="88"></location>
            <source>Entry {entry_id} was already voided.</source>
            <translation>รายการ {entry_id} ถูกยกเลิกไปแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="90"></location>
            <source>Entry {entry_id} was already returned or corrected: it cannot be voided.</source>
            <translation>รายการ {entry_id} ถูกคืนสินค้าหรือแก้ไขไปแล้ว จึงยกเลิกไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="94"></location>
            <source>Too late to void: an operation can be voided within {minutes} minutes; ask a manager for an adjustment or a return.</source>
            <translation>เลยเวลายกเลิกแล้ว: ยกเลิกรายการได้ภายใน {minutes} นาที ให้ผู้จัดการปรับแต้มหรือทำการคืนสินค้าแทน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="98"></location>
            <source>Entry {entry_id} moved no points: there is nothing to void.</source>
            <translation>รายการ {entry_id} ไม่ได้เปลี่ยนแต้ม จึงไม่มีอะไรให้ยกเลิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/voids.py" line="148"></location>
            <source>{name} has already spent these points: void the later redemption first.</source>
            <translation>{name} ใช้แต้มเหล่านี้ไปแล้ว: ยกเลิกการแลกแต้มที่ทำภายหลังก่อน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="425"></location>
            <source>Void one of this counter's last operations (a manager approves)</source>
            <translation>ยกเลิกรายการล่าสุดของเคาน์เตอร์นี้ (ผู้จัดการอนุมัติ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="424"></location>
            <location filename="../../pos_app/ui/dialogs.py" line="449"></location>
            <location filename="../../pos_app/ui/presenters/flags.py" line="15"></location>
            <source>Void</source>
            <translation>ยกเลิกรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="426"></location>
            <source>Void an operation</source>
            <translation>ยกเลิกรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="169"></location>
            <location filename="../../pos_app/ui/screens/award.py" line="148"></location>
            <source>Record the sale (0 points)</source>
            <translation>บันทึกการขาย (0 แต้ม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="170"></location>
            <location filename="../../pos_app/ui/screens/award.py" line="148"></location>
            <source>Award {points} points</source>
            <translation>บันทึก {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="76"></location>
            <source>Earned at this counter and not yet confirmed by the loyalty server (it is sent at the next sync).</source>
            <translation>ได้รับที่เคาน์เตอร์นี้ และเซิร์ฟเวอร์ยังไม่ยืนยัน (จะส่งเมื่อซิงก์ครั้งถัดไป)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="72"></location>
            <source>{points} pending</source>
            <translation>รอยืนยัน {points}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="88"></location>
            <source>highest tier</source>
            <translation>ระดับสูงสุด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="85"></location>
            <source>{points} points to {tier}</source>
            <translation>อีก {points} แต้มถึง{tier}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/member.py" line="107"></location>
            <source>{points} points expire within 30 days, the first on {date}</source>
            <translation>{points} แต้มจะหมดอายุใน 30 วัน เริ่มวันที่ {date}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/redeem.py" line="36"></location>
            <source>out of stock</source>
            <translation>หมด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/redeem.py" line="50"></location>
            <source>not enough points</source>
            <translation>แต้มไม่พอ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/redeem.py" line="37"></location>
            <source>{count} left</source>
            <translation>เหลือ {count}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/redeem.py" line="110"></location>
            <source>Redeem {points} points</source>
            <translation>แลก {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/search.py" line="44"></location>
            <source>{count} members match “{query}”: choose one</source>
            <translation>พบสมาชิก {count} คนที่ตรงกับ “{query}”: เลือกหนึ่งคน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/search.py" line="42"></location>
            <source>More than {count} members match “{query}”: type more of the name, or choose</source>
            <translation>พบสมาชิกมากกว่า {count} คนที่ตรงกับ “{query}”: พิมพ์ชื่อเพิ่ม หรือเลือก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/search.py" line="51"></location>
            <source>card …{digits}</source>
            <translation>บัตร …{digits}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="14"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="193"></location>
            <location filename="../../pos_app/ui/presenters/voids.py" line="13"></location>
            <source>Redemption</source>
            <translation>แลกแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="14"></location>
            <location filename="../../pos_app/ui/presenters/voids.py" line="13"></location>
            <source>Adjustment</source>
            <translation>ปรับแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voids.py" line="60"></location>
            <source>Done: {kind} voided, {points} points. New balance {balance} points.</source>
            <translation>เรียบร้อย: ยกเลิก{kind}แล้ว {points} แต้ม ยอดแต้มใหม่ {balance} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voids.py" line="54"></location>
            <source>Choose the operation to void (this counter, the last {minutes} minutes). A manager approves it; the points go back as they were.</source>
            <translation>เลือกรายการที่จะยกเลิก (เคาน์เตอร์นี้ ภายใน {minutes} นาทีล่าสุด) ผู้จัดการต้องอนุมัติ แต้มจะกลับเป็นเหมือนเดิม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voids.py" line="52"></location>
            <source>Nothing to void: no award or redemption of this counter in the last {minutes} minutes.</source>
            <translation>ไม่มีรายการให้ยกเลิก: ไม่มีการสะสมหรือแลกแต้มที่เคาน์เตอร์นี้ใน {minutes} นาทีล่าสุด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="147"></location>
            <source>Scan the card, or type a card no., phone or name</source>
            <translation>สแกนบัตร หรือพิมพ์เลขบัตร เบอร์โทร หรือชื่อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/member.py" line="248"></location>
            <source>No member's name contains “{query}”. Check the spelling, or scan the card or type the phone.</source>
            <translation>ไม่มีสมาชิกที่ชื่อมีคำว่า “{query}” ตรวจการสะกด หรือสแกนบัตร หรือพิมพ์เบอร์โทร</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="277"></location>
            <source>{count} s</source>
            <translation>{count} วินาที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="276"></location>
            <source>{count} min</source>
            <translation>{count} นาที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="217"></location>
            <source>Signed out after {minutes} idle: type your PIN to go on.</source>
            <translation>ออกจากระบบแล้วเพราะไม่มีการใช้งาน {minutes}: พิมพ์ PIN เพื่อใช้งานต่อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/voids.py" line="80"></location>
            <source>Not voided: no manager approval.</source>
            <translation>ไม่ได้ยกเลิก: ไม่มีการอนุมัติจากผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="679"></location>
            <location filename="../../sync/server/console/pages.py" line="760"></location>
            <location filename="../../sync/server/console/pages.py" line="806"></location>
            <source>No such draft.</source>
            <translation>ไม่มีฉบับร่างนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="762"></location>
            <source>This draft was published and cannot change: make a new draft.</source>
            <translation>ฉบับร่างนี้เผยแพร่แล้วและแก้ไขไม่ได้ กรุณาสร้างฉบับร่างใหม่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="765"></location>
            <source>Saved, but these rules cannot be published yet: see the messages beside the fields.</source>
            <translation>บันทึกแล้ว แต่ยังเผยแพร่กฎนี้ไม่ได้ ดูข้อความข้างช่องที่ต้องแก้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="811"></location>
            <source>Not published: these rules are not valid yet; see the messages beside the fields.</source>
            <translation>ยังไม่เผยแพร่: กฎนี้ยังไม่ถูกต้อง ดูข้อความข้างช่องที่ต้องแก้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="783"></location>
            <source>Write a date and time such as 2026-12-01 09:00 (Bangkok time), or leave it empty for now.</source>
            <translation>ใส่วันและเวลา เช่น 2026-12-01 09:00 (เวลากรุงเทพฯ) หรือเว้นว่างไว้เพื่อให้มีผลทันที</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="808"></location>
            <source>This draft was published already (version {version}).</source>
            <translation>ฉบับร่างนี้เผยแพร่ไปแล้ว (เวอร์ชัน {version})</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="821"></location>
            <location filename="../../sync/server/console/rules_form.py" line="108"></location>
            <source>Write a date and time such as 2026-12-01 09:00 (Bangkok time).</source>
            <translation>ใส่วันและเวลา เช่น 2026-12-01 09:00 (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/rules_form.py" line="81"></location>
            <source>Write a whole number, for example 1,000.</source>
            <translation>ใส่จำนวนเต็ม เช่น 1,000</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/rules_form.py" line="90"></location>
            <source>Write a multiplier such as 2 or 1.5.</source>
            <translation>ใส่ตัวคูณ เช่น 2 หรือ 1.5</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/rules_form.py" line="247"></location>
            <source>(In thousandths: 1000 means ×1, so the multiplier is at least 1.)</source>
            <translation>(นับเป็นส่วนพัน: 1000 คือ ×1 ดังนั้นตัวคูณต้องไม่น้อยกว่า 1)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/rules_form.py" line="218"></location>
            <source>No such branch: {codes}.</source>
            <translation>ไม่มีสาขานี้: {codes}</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <source>Rules</source>
            <translation>กฎ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="2"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="4"></location>
            <source>Rules and campaigns</source>
            <translation>กฎและแคมเปญ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="5"></location>
            <source>Published. Terminals receive the new version at their next sync.</source>
            <translation>เผยแพร่แล้ว เครื่องขายจะได้รับเวอร์ชันใหม่เมื่อซิงก์ครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="6"></location>
            <source>A published version never changes. To change the rules, make a draft from the active version, edit it, preview a sale, and publish it as a new version.</source>
            <translation>เวอร์ชันที่เผยแพร่แล้วจะไม่เปลี่ยนอีก หากต้องการเปลี่ยนกฎ ให้สร้างฉบับร่างจากเวอร์ชันที่ใช้อยู่ แก้ไข ลองคำนวณการขายตัวอย่าง แล้วเผยแพร่เป็นเวอร์ชันใหม่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="10"></location>
            <source>New draft from the active rules</source>
            <translation>สร้างฉบับร่างจากกฎที่ใช้อยู่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="13"></location>
            <source>Drafts</source>
            <translation>ฉบับร่าง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="16"></location>
            <source>From version</source>
            <translation>จากเวอร์ชัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="16"></location>
            <source>Last saved</source>
            <translation>บันทึกล่าสุด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="16"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="29"></location>
            <source>By</source>
            <translation>โดย</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="16"></location>
            <source>Published as</source>
            <translation>เผยแพร่เป็น</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="19"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="2"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="11"></location>
            <source>Draft</source>
            <translation>ฉบับร่าง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="26"></location>
            <source>Published versions</source>
            <translation>เวอร์ชันที่เผยแพร่แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="29"></location>
            <source>Effective (Bangkok time)</source>
            <translation>มีผล (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="29"></location>
            <source>Published (Bangkok time)</source>
            <translation>เผยแพร่ (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="29"></location>
            <source>1 point per</source>
            <translation>1 แต้มต่อ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules.html" line="29"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="46"></location>
            <source>Campaigns</source>
            <translation>แคมเปญ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="34"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="12"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="15"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="32"></location>
            <source>active</source>
            <translation>ใช้อยู่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="12"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="15"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="32"></location>
            <source>scheduled</source>
            <translation>ตั้งเวลาไว้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="12"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="15"></location>
            <location filename="../../sync/server/console/templates/rules.html" line="32"></location>
            <source>retired</source>
            <translation>เลิกใช้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="11"></location>
            <source>from version</source>
            <translation>จากเวอร์ชัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="12"></location>
            <source>Saved. These rules are valid and can be published.</source>
            <translation>บันทึกแล้ว กฎนี้ถูกต้องและเผยแพร่ได้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="14"></location>
            <source>Published as version {version}.</source>
            <translation>เผยแพร่เป็นเวอร์ชัน {version} แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="19"></location>
            <source>Earning</source>
            <translation>การได้แต้ม</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="21"></location>
            <source>One point per (baht)</source>
            <translation>1 แต้มต่อ (บาท)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="21"></location>
            <source>for example 25 = 1 point per ฿25</source>
            <translation>เช่น 25 = 1 แต้มต่อ ฿25</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="22"></location>
            <source>Minimum bill (baht)</source>
            <translation>ยอดบิลขั้นต่ำ (บาท)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="22"></location>
            <source>0 = none</source>
            <translation>0 = ไม่มี</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="23"></location>
            <source>Tier period (days)</source>
            <translation>ช่วงเวลาคิดระดับ (วัน)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="23"></location>
            <source>tiers are judged on points earned in this many days</source>
            <translation>ระดับสมาชิกคิดจากแต้มที่ได้รับในจำนวนวันนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="27"></location>
            <source>Tiers</source>
            <translation>ระดับสมาชิก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="11"></location>
            <location filename="../../sync/server/console/templates/branches.html" line="19"></location>
            <location filename="../../sync/server/console/templates/reward_form.html" line="12"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="10"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="34"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="55"></location>
            <source>Code</source>
            <translation>รหัส</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="13"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="35"></location>
            <source>Name (Thai)</source>
            <translation>ชื่อ (ไทย)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="14"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="36"></location>
            <source>Name (English)</source>
            <translation>ชื่อ (อังกฤษ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="37"></location>
            <source>From points</source>
            <translation>ตั้งแต่แต้ม</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="38"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="59"></location>
            <source>Multiplier</source>
            <translation>ตัวคูณ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="38"></location>
            <source>1.5 = ×1.5</source>
            <translation>1.5 = ×1.5</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="39"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="64"></location>
            <source>Remove</source>
            <translation>ลบ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="41"></location>
            <source>Fill this row to add a tier.</source>
            <translation>กรอกแถวนี้เพื่อเพิ่มระดับ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="48"></location>
            <source>Times are Bangkok time; a campaign runs from its start up to (not including) its end. Leave branches or categories empty for all. Several campaigns add their extra points.</source>
            <translation>เวลาเป็นเวลากรุงเทพฯ แคมเปญเริ่มตั้งแต่เวลาเริ่มจนถึง (ไม่รวม) เวลาสิ้นสุด เว้นสาขาหรือหมวดสินค้าว่างไว้หมายถึงทั้งหมด หลายแคมเปญพร้อมกันจะบวกแต้มพิเศษเข้าด้วยกัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="52"></location>
            <source>New campaign</source>
            <translation>แคมเปญใหม่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="55"></location>
            <source>short, unique, e.g. dec-double</source>
            <translation>สั้นและไม่ซ้ำ เช่น dec-double</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="57"></location>
            <source>Starts</source>
            <translation>เริ่ม</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="58"></location>
            <source>Ends</source>
            <translation>สิ้นสุด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="59"></location>
            <source>2 = double points</source>
            <translation>2 = แต้มสองเท่า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="60"></location>
            <source>Bonus points per bill</source>
            <translation>แต้มพิเศษต่อบิล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/branches.html" line="2"></location>
            <location filename="../../sync/server/console/templates/branches.html" line="4"></location>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="61"></location>
            <source>Branches</source>
            <translation>สาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="61"></location>
            <source>codes, comma-separated</source>
            <translation>รหัส คั่นด้วยจุลภาค</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="62"></location>
            <source>Categories</source>
            <translation>หมวดสินค้า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="62"></location>
            <source>comma-separated</source>
            <translation>คั่นด้วยจุลภาค</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="63"></location>
            <source>Minimum spend (baht)</source>
            <translation>ยอดซื้อขั้นต่ำ (บาท)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="69"></location>
            <source>Save and check</source>
            <translation>บันทึกและตรวจสอบ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="72"></location>
            <source>Preview a sale</source>
            <translation>ลองคำนวณการขาย</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="74"></location>
            <source>Amount (baht)</source>
            <translation>ยอดเงิน (บาท)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="76"></location>
            <source>Category</source>
            <translation>หมวดสินค้า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="78"></location>
            <source>Sale time (Bangkok)</source>
            <translation>เวลาขาย (กรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="79"></location>
            <source>Preview</source>
            <translation>คำนวณ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="85"></location>
            <source>Active rules</source>
            <translation>กฎที่ใช้อยู่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="85"></location>
            <source>This draft</source>
            <translation>ฉบับร่างนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="87"></location>
            <source>Base points</source>
            <translation>แต้มพื้นฐาน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="87"></location>
            <source>Tier bonus</source>
            <translation>โบนัสระดับสมาชิก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="87"></location>
            <source>Campaign bonus</source>
            <translation>โบนัสแคมเปญ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="92"></location>
            <source>Campaigns applied</source>
            <translation>แคมเปญที่ใช้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="92"></location>
            <source>fix the draft first</source>
            <translation>แก้ฉบับร่างก่อน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="99"></location>
            <source>Publish</source>
            <translation>เผยแพร่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="103"></location>
            <source>Effective from (Bangkok time; empty = now)</source>
            <translation>มีผลตั้งแต่ (เวลากรุงเทพฯ; ว่าง = ทันที)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="104"></location>
            <source>Publish as version {version}</source>
            <translation>เผยแพร่เป็นเวอร์ชัน {version}</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="107"></location>
            <source>Save first: publishing uses the draft as last saved.</source>
            <translation>บันทึกก่อน: การเผยแพร่ใช้ฉบับร่างที่บันทึกล่าสุด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rules_draft.html" line="109"></location>
            <source>These rules cannot be published until the messages above are dealt with (save to check again).</source>
            <translation>ยังเผยแพร่กฎนี้ไม่ได้จนกว่าจะแก้ตามข้อความด้านบน (บันทึกเพื่อตรวจอีกครั้ง)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="573"></location>
            <source>Give the branch a name.</source>
            <translation>ตั้งชื่อสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="584"></location>
            <source>A branch code is 1-32 letters, digits or dashes, e.g. CNX02.</source>
            <translation>รหัสสาขาคือตัวอักษร ตัวเลข หรือขีด 1-32 ตัว เช่น CNX02</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="601"></location>
            <source>A code is valid for 1 to 720 hours.</source>
            <translation>รหัสใช้ได้ 1 ถึง 720 ชั่วโมง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="626"></location>
            <source>Not revoked: tick the box beside the terminal to confirm.</source>
            <translation>ยังไม่ได้เพิกถอน: ติ๊กช่องข้างเครื่องเพื่อยืนยัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="613"></location>
            <location filename="../../sync/server/console/pages.py" line="977"></location>
            <location filename="../../sync/server/console/pages.py" line="994"></location>
            <source>No such branch.</source>
            <translation>ไม่มีสาขานี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="640"></location>
            <source>No such terminal.</source>
            <translation>ไม่มีเครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="585"></location>
            <source>There is already a branch {code}.</source>
            <translation>มีสาขา {code} อยู่แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="5"></location>
            <source>Branch added.</source>
            <translation>เพิ่มสาขาแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="8"></location>
            <source>New branch</source>
            <translation>สาขาใหม่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="13"></location>
            <source>Add branch</source>
            <translation>เพิ่มสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="16"></location>
            <source>All branches</source>
            <translation>สาขาทั้งหมด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="19"></location>
            <source>Enroll a terminal</source>
            <translation>ลงทะเบียนเครื่อง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="23"></location>
            <source>valid for (hours)</source>
            <translation>ใช้ได้ (ชั่วโมง)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/branches.html" line="23"></location>
            <source>Make an enrollment code</source>
            <translation>สร้างรหัสลงทะเบียน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="2"></location>
            <source>Enrollment code</source>
            <translation>รหัสลงทะเบียน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="4"></location>
            <source>Enrollment code for branch {branch}</source>
            <translation>รหัสลงทะเบียนสำหรับสาขา {branch}</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="7"></location>
            <source>Code (single use)</source>
            <translation>รหัส (ใช้ได้ครั้งเดียว)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="9"></location>
            <source>Valid until (Bangkok time)</source>
            <translation>ใช้ได้ถึง (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="55"></location>
            <location filename="../../pos_app/ui/presenters/device.py" line="60"></location>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="10"></location>
            <source>Server</source>
            <translation>เซิร์ฟเวอร์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="12"></location>
            <source>QR code of the enrollment code</source>
            <translation>คิวอาร์โค้ดของรหัสลงทะเบียน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="14"></location>
            <source>At the counter, the installer scans the QR code (or types the code) in the set-up, or runs:</source>
            <translation>ที่เคาน์เตอร์ ผู้ติดตั้งสแกนคิวอาร์โค้ด (หรือพิมพ์รหัส) ในขั้นตอนตั้งค่า หรือสั่ง:</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="16"></location>
            <source>This page is the only time the code is shown: the server keeps only its hash. Make a new one if it is lost.</source>
            <translation>รหัสจะแสดงเฉพาะในหน้านี้ครั้งเดียว เซิร์ฟเวอร์เก็บไว้เพียงค่าแฮช หากทำหายให้สร้างรหัสใหม่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/enrollment_code.html" line="17"></location>
            <source>Back to branches</source>
            <translation>กลับไปที่สาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="5"></location>
            <source>Revoked. The terminal can no longer sync, and member cards it issued are refused.</source>
            <translation>เพิกถอนแล้ว เครื่องนี้ซิงก์ไม่ได้อีก และบัตรสมาชิกที่เครื่องนี้ออกจะถูกปฏิเสธ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="7"></location>
            <source>Branches and enrollment codes</source>
            <translation>สาขาและรหัสลงทะเบียน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="16"></location>
            <source>sure</source>
            <translation>ยืนยัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/terminals.html" line="16"></location>
            <source>Revoke</source>
            <translation>เพิกถอน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="327"></location>
            <source>Not merged: that is this member itself.</source>
            <translation>ไม่ได้รวม: นั่นคือสมาชิกคนนี้เอง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="328"></location>
            <source>Not merged: the duplicate was already merged into another member.</source>
            <translation>ไม่ได้รวม: รายการซ้ำนี้ถูกรวมเข้ากับสมาชิกอื่นไปแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="329"></location>
            <source>Not merged: no member matches that id, phone or card number.</source>
            <translation>ไม่ได้รวม: ไม่พบสมาชิกที่ตรงกับรหัส เบอร์โทร หรือเลขบัตรนั้น</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="330"></location>
            <source>Not merged: several members match; use the duplicate's member id.</source>
            <translation>ไม่ได้รวม: พบสมาชิกหลายคนที่ตรงกัน กรุณาใช้รหัสสมาชิกของรายการซ้ำ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="324"></location>
            <source>Not merged: tick the box to confirm that both are the same person.</source>
            <translation>ไม่ได้รวม: ติ๊กช่องเพื่อยืนยันว่าทั้งสองเป็นคนเดียวกัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="364"></location>
            <source>Write a reason.</source>
            <translation>ใส่เหตุผล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="378"></location>
            <source>Not unblocked: the member has an open overdraft; resolve it on the Flags page.</source>
            <translation>ยังไม่ปลดการระงับ: สมาชิกมียอดติดลบที่ยังเปิดอยู่ กรุณาจัดการที่หน้าเรื่องที่ต้องตรวจ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="351"></location>
            <source>Not merged: {reason}</source>
            <translation>ไม่ได้รวม: {reason}</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="6"></location>
            <source>Merged: the duplicate's points are now on this member.</source>
            <translation>รวมแล้ว: แต้มของรายการซ้ำย้ายมาที่สมาชิกคนนี้แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="7"></location>
            <source>Offline redemption blocked. Terminals apply it at their next sync.</source>
            <translation>ระงับการแลกแต้มแบบออฟไลน์แล้ว เครื่องขายจะใช้เมื่อซิงก์ครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="8"></location>
            <source>Offline redemption allowed again. Terminals apply it at their next sync.</source>
            <translation>อนุญาตการแลกแต้มแบบออฟไลน์อีกครั้งแล้ว เครื่องขายจะใช้เมื่อซิงก์ครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="10"></location>
            <source>This member was merged into another one.</source>
            <translation>สมาชิกนี้ถูกรวมเข้ากับสมาชิกอื่นแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="10"></location>
            <source>Open it</source>
            <translation>เปิดดู</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="32"></location>
            <source>Allow offline redemption</source>
            <translation>อนุญาตการแลกแต้มแบบออฟไลน์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="32"></location>
            <source>Block offline redemption</source>
            <translation>ระงับการแลกแต้มแบบออฟไลน์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="35"></location>
            <source>Merge a duplicate into this member</source>
            <translation>รวมรายการซ้ำเข้ากับสมาชิกนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="36"></location>
            <source>The duplicate's points move here with two adjustment entries (nothing is deleted); the duplicate is marked as merged and its phone comes here if this member has none.</source>
            <translation>แต้มของรายการซ้ำจะย้ายมาด้วยรายการปรับแต้มสองรายการ (ไม่มีสิ่งใดถูกลบ) รายการซ้ำจะถูกทำเครื่องหมายว่ารวมแล้ว และเบอร์โทรจะย้ายมาหากสมาชิกนี้ยังไม่มี</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="39"></location>
            <source>Duplicate: member id, phone or card number</source>
            <translation>รายการซ้ำ: รหัสสมาชิก เบอร์โทร หรือเลขบัตร</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="40"></location>
            <source>Both are the same person</source>
            <translation>ทั้งสองเป็นคนเดียวกัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="41"></location>
            <source>Merge</source>
            <translation>รวม</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reports.html" line="4"></location>
            <source>Points per day and branch</source>
            <translation>แต้มรายวันและรายสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reports.html" line="9"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="16"></location>
            <source>Download CSV</source>
            <translation>ดาวน์โหลด CSV</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reports.html" line="12"></location>
            <source>Days are Bangkok days. Corrections, returns and adjustments are not in these columns.</source>
            <translation>วันตามเวลากรุงเทพฯ การแก้ไข การคืนสินค้า และการปรับแต้มไม่รวมในคอลัมน์เหล่านี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reports.html" line="18"></location>
            <source>By day and branch</source>
            <translation>ตามวันและสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1119"></location>
            <source>Too many failed sign-ins from this network address: wait a while and try again, or ask an administrator.</source>
            <translation>เข้าสู่ระบบผิดหลายครั้งเกินไปจากที่อยู่เครือข่ายนี้ รอสักครู่แล้วลองใหม่ หรือติดต่อผู้ดูแลระบบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/ui_cmds.py" line="103"></location>
            <source>The counter window closed for an update; it opens again when the install is done (at most {minutes} minutes).</source>
            <translation>หน้าจอเคาน์เตอร์ปิดเพื่อติดตั้งการอัปเดต จะเปิดอีกครั้งเมื่อติดตั้งเสร็จ (ไม่เกิน {minutes} นาที)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/backoffice.py" line="128"></location>
            <source>No flag {key} here: it may have been resolved since.</source>
            <translation>ไม่มีรายการ {key} ที่นี่ อาจได้รับการแก้ไขแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="338"></location>
            <source>Voided operations are not counted in the numbers; the Voided column says how many there were.</source>
            <translation>รายการที่ยกเลิกแล้วไม่นับรวมในตัวเลข คอลัมน์ยกเลิกแสดงจำนวนรายการที่ยกเลิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="331"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="113"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="197"></location>
            <source>Voided</source>
            <translation>ยกเลิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/reports.py" line="279"></location>
            <source>An hour of the day is 00 to 23, not {hour}.</source>
            <translation>ชั่วโมงของวันคือ 00 ถึง 23 ไม่ใช่ {hour}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="632"></location>
            <source>Updating to version {version}: the counter opens again in a few minutes.</source>
            <translation>กำลังอัปเดตเป็นเวอร์ชัน {version}: หน้าจอเคาน์เตอร์จะเปิดอีกครั้งในไม่กี่นาที</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="9"></location>
            <source>Overdraft after offline redemptions</source>
            <translation>แต้มติดลบหลังแลกแบบออฟไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="10"></location>
            <source>Points differ from the rules</source>
            <translation>แต้มไม่ตรงกับกติกา</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="11"></location>
            <source>Reward at another price</source>
            <translation>ของรางวัลราคาไม่ตรง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="12"></location>
            <source>Currency rate differs</source>
            <translation>อัตราแลกเปลี่ยนไม่ตรง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="13"></location>
            <source>Record kept aside (no points)</source>
            <translation>รายการถูกพักไว้ (ไม่มีผลกับแต้ม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="14"></location>
            <source>Over the offline allowance</source>
            <translation>เกินวงเงินออฟไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="15"></location>
            <source>Online redemption mismatch</source>
            <translation>การแลกออนไลน์ไม่ตรงกัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="16"></location>
            <source>Reward out of stock</source>
            <translation>ของรางวัลหมดสต็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="20"></location>
            <source>A counter's clock was wrong</source>
            <translation>นาฬิกาของเครื่องไม่ตรง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="21"></location>
            <source>Two members, one phone</source>
            <translation>สมาชิกสองคนใช้เบอร์เดียวกัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="22"></location>
            <source>Unknown member</source>
            <translation>ไม่รู้จักสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="23"></location>
            <source>Unknown rules version</source>
            <translation>ไม่รู้จักรุ่นกติกา</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="24"></location>
            <source>Record sent twice, different</source>
            <translation>รายการส่งซ้ำแต่เนื้อหาต่างกัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="25"></location>
            <source>Standalone counter joined</source>
            <translation>เครื่องเดี่ยวเข้าร่วมเครือข่าย</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="26"></location>
            <source>Staff PIN locked</source>
            <translation>PIN พนักงานถูกล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="27"></location>
            <source>Many wrong PINs</source>
            <translation>ใส่ PIN ผิดหลายครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="15"></location>
            <source>Wrong manager PIN</source>
            <translation>PIN ผู้จัดการผิด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="16"></location>
            <source>Manager PIN locked</source>
            <translation>PIN ผู้จัดการถูกล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="16"></location>
            <source>Own operation (refused)</source>
            <translation>อนุมัติรายการของตัวเอง (ถูกปฏิเสธ)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="56"></location>
            <source>No flags yet: this counter has not synced with head office since it was set up.</source>
            <translation>ยังไม่มีรายการ: เครื่องนี้ยังไม่ได้ซิงก์กับสำนักงานใหญ่ตั้งแต่ติดตั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="67"></location>
            <source>Head office resolves flags; acknowledging says this store has seen one.</source>
            <translation>สำนักงานใหญ่เป็นผู้แก้ไขรายการ การรับทราบหมายถึงสาขานี้เห็นรายการแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="71"></location>
            <location filename="../../pos_app/ui/presenters/flags.py" line="110"></location>
            <source>What</source>
            <translation>เรื่อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="71"></location>
            <source>Where</source>
            <translation>ที่เครื่อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="71"></location>
            <source>Acknowledged</source>
            <translation>รับทราบแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="110"></location>
            <location filename="../../pos_app/ui/presenters/reports.py" line="185"></location>
            <source>When</source>
            <translation>เวลา</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="59"></location>
            <source>No open flags for this branch.</source>
            <translation>ไม่มีรายการค้างของสาขานี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="66"></location>
            <source>Head office has more: the oldest are shown.</source>
            <translation>สำนักงานใหญ่มีรายการมากกว่านี้ แสดงรายการที่เก่าที่สุดก่อน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="76"></location>
            <source>This counter</source>
            <translation>เครื่องนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="104"></location>
            <source>Approvals {span}: {n} approved</source>
            <translation>การอนุมัติ {span}: อนุมัติ {n} รายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="61"></location>
            <source>{n} open flags, {waiting} not yet acknowledged here.</source>
            <translation>มี {n} รายการค้าง ยังไม่รับทราบ {waiting} รายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="64"></location>
            <source>As of the sync at {when}.</source>
            <translation>ข้อมูล ณ การซิงก์เมื่อ {when}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="106"></location>
            <source>{n} refused</source>
            <translation>ปฏิเสธ {n} รายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="79"></location>
            <source>{points} points short</source>
            <translation>ขาด {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="23"></location>
            <source>Sales by cashier</source>
            <translation>ยอดขายตามแคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="23"></location>
            <source>Redemptions by reward</source>
            <translation>การแลกตามของรางวัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="24"></location>
            <source>Awards and redemptions by hour of the day</source>
            <translation>การให้แต้มและการแลกตามชั่วโมงของวัน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="20"></location>
            <source>Today</source>
            <translation>วันนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="20"></location>
            <source>Yesterday</source>
            <translation>เมื่อวาน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="20"></location>
            <source>This week</source>
            <translation>สัปดาห์นี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="21"></location>
            <source>This month</source>
            <translation>เดือนนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="112"></location>
            <source>Points
awarded</source>
            <translation>แต้ม
ที่ให้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="113"></location>
            <source>Points
redeemed</source>
            <translation>แต้ม
ที่แลก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="128"></location>
            <source>No awards or redemptions in these days.</source>
            <translation>ไม่มีการให้แต้มหรือการแลกในช่วงวันนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="185"></location>
            <source>Operation</source>
            <translation>รายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="186"></location>
            <source>Approved by</source>
            <translation>ผู้อนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="186"></location>
            <source>Status</source>
            <translation>สถานะ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="178"></location>
            <source>{name}: {n} operations behind the numbers</source>
            <translation>{name}: {n} รายการที่อยู่เบื้องหลังตัวเลข</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="107"></location>
            <source>Awards and redemptions on {day}</source>
            <translation>การให้แต้มและการแลกวันที่ {day}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/reports.py" line="181"></location>
            <source>{n} voided (not counted)</source>
            <translation>ยกเลิก {n} รายการ (ไม่นับรวม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/report_pdf.py" line="112"></location>
            <location filename="../../pos_app/ui/report_pdf.py" line="123"></location>
            <source>Page {n}</source>
            <translation>หน้า {n}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="288"></location>
            <source>Save PDF to print</source>
            <translation>บันทึก PDF เพื่อพิมพ์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="487"></location>
            <source>Acknowledge</source>
            <translation>รับทราบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="596"></location>
            <source>Back office</source>
            <translation>งานหลังร้าน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="606"></location>
            <source>Approvals log</source>
            <translation>บันทึกการอนุมัติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="269"></location>
            <source>Back to the report</source>
            <translation>กลับไปที่รายงาน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="537"></location>
            <source>Acknowledged. Head office still resolves it.</source>
            <translation>รับทราบแล้ว สำนักงานใหญ่จะเป็นผู้แก้ไข</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/reports.py" line="618"></location>
            <source>Flags ({n})</source>
            <translation>รายการที่ต้องตรวจ ({n})</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="247"></location>
            <source>no .deb of {installed} is kept in {cache}: apt lists {version} as not configured until the {installed} .deb is installed again by hand</source>
            <translation>ไม่มีไฟล์ .deb ของ {installed} เก็บไว้ใน {cache}: apt จะแสดง {version} ว่ายังไม่ได้ตั้งค่า จนกว่าจะติดตั้ง .deb ของ {installed} อีกครั้งด้วยมือ</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="250"></location>
            <source>version {version} failed its check and was rolled back: {installed} runs again with its own ledger; {told}</source>
            <translation>เวอร์ชัน {version} ไม่ผ่านการตรวจสอบและถูกย้อนกลับ: {installed} ทำงานอีกครั้งพร้อมสมุดบัญชีของตนเอง; {told}</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="237"></location>
            <source>apt-get refused version {version}: {reason}</source>
            <translation>apt-get ปฏิเสธเวอร์ชัน {version}: {reason}</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="242"></location>
            <source>the {installed} package was installed again, so apt lists the version that runs</source>
            <translation>ติดตั้งแพ็กเกจ {installed} อีกครั้งแล้ว apt จึงแสดงเวอร์ชันที่ทำงานอยู่</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="243"></location>
            <source>installing the {installed} package again failed too: run 'sudo apt install --allow-downgrades {path}'</source>
            <translation>การติดตั้งแพ็กเกจ {installed} อีกครั้งก็ล้มเหลวเช่นกัน: ให้รัน 'sudo apt install --allow-downgrades {path}'</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="218"></location>
            <source>dpkg does not list {package} as installed, although the program says a .deb installed it</source>
            <translation>dpkg ไม่ได้แสดงว่าติดตั้ง {package} ไว้ แม้โปรแกรมจะระบุว่าติดตั้งจาก .deb</translation>
        </message>
        <message>
            <location filename="../../pos_app/updates.py" line="350"></location>
            <source>the download is a {got} package, this terminal was installed from a {kind}</source>
            <translation>ไฟล์ที่ดาวน์โหลดเป็นแพ็กเกจแบบ {got} แต่เครื่องนี้ติดตั้งจากแบบ {kind}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="87"></location>
            <source>adding a staff member</source>
            <translation>การเพิ่มพนักงาน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="115"></location>
            <source>disabling or enabling a staff member</source>
            <translation>การระงับหรือเปิดใช้พนักงาน</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="109"></location>
            <source>You cannot disable or enable yourself: ask another manager.</source>
            <translation>ระงับหรือเปิดใช้ตัวเองไม่ได้: ให้ผู้จัดการคนอื่นทำ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/approvals.py" line="112"></location>
            <location filename="../../pos_app/ui/presenters/staff.py" line="95"></location>
            <source>{name} is managed by head office: change them there.</source>
            <translation>{name} จัดการโดยสำนักงานใหญ่: เปลี่ยนที่นั่น</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/staff.py" line="80"></location>
            <source>A manager adds, disables and enables cashiers; managers are managed by an admin or head office.</source>
            <translation>ผู้จัดการเพิ่ม ระงับ และเปิดใช้แคชเชียร์ได้ ส่วนผู้จัดการนั้นผู้ดูแลระบบหรือสำนักงานใหญ่เป็นผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="16"></location>
            <source>Ledger file</source>
            <translation>ไฟล์ข้อมูลแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="16"></location>
            <source>Entry chain</source>
            <translation>สายรายการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="16"></location>
            <source>Balances</source>
            <translation>ยอดแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="17"></location>
            <source>Schema</source>
            <translation>โครงสร้างข้อมูล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="17"></location>
            <location filename="../../pos_app/ui/screens/device.py" line="173"></location>
            <source>Backup</source>
            <translation>สำรองข้อมูล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="17"></location>
            <source>Disk space</source>
            <translation>พื้นที่ดิสก์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="17"></location>
            <source>Ledger</source>
            <translation>ข้อมูลแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="18"></location>
            <source>Identity</source>
            <translation>ตัวตนเครื่อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="21"></location>
            <source>a member card (QR)</source>
            <translation>บัตรสมาชิก (QR)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="21"></location>
            <source>a member code from the app</source>
            <translation>รหัสสมาชิกจากแอป</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="22"></location>
            <source>a member card number</source>
            <translation>เลขบัตรสมาชิก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="22"></location>
            <source>a phone number</source>
            <translation>เบอร์โทรศัพท์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="113"></location>
            <source>Backing up the ledger…</source>
            <translation>กำลังสำรองข้อมูลแต้ม…</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="73"></location>
            <location filename="../../pos_app/ui/presenters/device.py" line="78"></location>
            <location filename="../../pos_app/ui/presenters/device.py" line="79"></location>
            <source>Clock skew</source>
            <translation>นาฬิกาคลาดเคลื่อน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="91"></location>
            <source>All checks passed.</source>
            <translation>ผ่านการตรวจทุกข้อ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="91"></location>
            <source>Some checks failed: call IT.</source>
            <translation>ไม่ผ่านการตรวจบางข้อ: โทรหาฝ่ายไอที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="104"></location>
            <source>not a member code or phone number</source>
            <translation>ไม่ใช่รหัสสมาชิกหรือเบอร์โทรศัพท์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="61"></location>
            <source>Records waiting</source>
            <translation>รายการที่รอส่ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="63"></location>
            <source>Last success</source>
            <translation>สำเร็จครั้งล่าสุด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="73"></location>
            <source>not measured yet</source>
            <translation>ยังไม่ได้วัด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="76"></location>
            <source>none</source>
            <translation>ไม่มี</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="105"></location>
            <source>Read {count} characters: {text} ({meaning})</source>
            <translation>อ่านได้ {count} ตัวอักษร: {text} ({meaning})</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="117"></location>
            <source>Backup written: {path} ({size} KB)</source>
            <translation>สำรองข้อมูลแล้ว: {path} ({size} KB)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="55"></location>
            <source>none: this terminal works alone (standalone)</source>
            <translation>ไม่มี: เครื่องนี้ทำงานเดี่ยว (ไม่เชื่อมเซิร์ฟเวอร์)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="60"></location>
            <source>not set</source>
            <translation>ยังไม่ได้ตั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="66"></location>
            <source>Last error</source>
            <translation>ข้อผิดพลาดล่าสุด</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="75"></location>
            <source>{seconds} s ahead of the server</source>
            <translation>เร็วกว่าเซิร์ฟเวอร์ {seconds} วินาที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="78"></location>
            <source>(too far: check the date and time)</source>
            <translation>(มากเกินไป: ตรวจวันที่และเวลา)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="97"></location>
            <source>Test slip printed on {printer}.</source>
            <translation>พิมพ์สลิปทดสอบที่ {printer} แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="76"></location>
            <source>{seconds} s behind the server</source>
            <translation>ช้ากว่าเซิร์ฟเวอร์ {seconds} วินาที</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="26"></location>
            <source>disabled</source>
            <translation>ระงับแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="96"></location>
            <source>Managers are added, disabled and reset by an admin or head office.</source>
            <translation>ผู้ดูแลระบบหรือสำนักงานใหญ่เป็นผู้เพิ่ม ระงับ และตั้ง PIN ใหม่ให้ผู้จัดการ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="29"></location>
            <source>PIN locked</source>
            <translation>PIN ถูกล็อก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="31"></location>
            <source>chooses a new PIN at sign-in</source>
            <translation>ตั้ง PIN ใหม่เมื่อเข้าระบบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="33"></location>
            <source>head office</source>
            <translation>สำนักงานใหญ่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="80"></location>
            <source>Enable</source>
            <translation>เปิดใช้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="80"></location>
            <source>Disable</source>
            <translation>ระงับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="93"></location>
            <source>This is you: change your own PIN with Change PIN.</source>
            <translation>นี่คือคุณเอง: เปลี่ยน PIN ของตัวเองที่ปุ่มเปลี่ยน PIN</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="102"></location>
            <source>Type the new staff member's name.</source>
            <translation>พิมพ์ชื่อพนักงานใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="104"></location>
            <source>Type their first PIN (they choose their own at their first sign-in).</source>
            <translation>พิมพ์ PIN แรกของเขา (เขาตั้ง PIN ของตัวเองเมื่อเข้าระบบครั้งแรก)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="109"></location>
            <source>Type the temporary PIN.</source>
            <translation>พิมพ์ PIN ชั่วคราว</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="117"></location>
            <source>Type your own PIN to confirm the change.</source>
            <translation>พิมพ์ PIN ของคุณเพื่อยืนยันการเปลี่ยนแปลง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="124"></location>
            <source>{name} added as {role}: they choose their own PIN at their first sign-in.</source>
            <translation>เพิ่ม {name} เป็น{role}แล้ว: เขาตั้ง PIN ของตัวเองเมื่อเข้าระบบครั้งแรก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="130"></location>
            <source>{name} is disabled: they can no longer sign in.</source>
            <translation>ระงับ {name} แล้ว: เข้าระบบไม่ได้อีก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/staff.py" line="129"></location>
            <source>{name} can sign in again.</source>
            <translation>{name} เข้าระบบได้อีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="268"></location>
            <source>Printing…</source>
            <translation>กำลังพิมพ์…</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="421"></location>
            <location filename="../../pos_app/ui/screens/device.py" line="166"></location>
            <source>Device</source>
            <translation>อุปกรณ์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="168"></location>
            <source>Sync and backup</source>
            <translation>ซิงก์และสำรองข้อมูล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="169"></location>
            <source>Health checks</source>
            <translation>ตรวจสุขภาพระบบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="170"></location>
            <source>Printer and scanner</source>
            <translation>เครื่องพิมพ์และเครื่องสแกน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="172"></location>
            <source>Sync</source>
            <translation>การซิงก์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="174"></location>
            <source>Back up now</source>
            <translation>สำรองข้อมูลเดี๋ยวนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="175"></location>
            <source>Run the checks again</source>
            <translation>ตรวจอีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="176"></location>
            <source>Slip printer</source>
            <translation>เครื่องพิมพ์สลิป</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="177"></location>
            <source>Print a test slip</source>
            <translation>พิมพ์สลิปทดสอบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="178"></location>
            <source>Scanner</source>
            <translation>เครื่องสแกน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="179"></location>
            <source>Scan any barcode or member card into this field:</source>
            <translation>สแกนบาร์โค้ดหรือบัตรสมาชิกใดก็ได้ลงในช่องนี้:</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="180"></location>
            <source>Scanned text appears here</source>
            <translation>ข้อความที่สแกนจะแสดงที่นี่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="228"></location>
            <source>Checking…</source>
            <translation>กำลังตรวจ…</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="167"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="161"></location>
            <source>Back to the counter</source>
            <translation>กลับไปหน้าขาย</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="181"></location>
            <source>Stop the camera test</source>
            <translation>หยุดทดสอบกล้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="182"></location>
            <source>Start the camera test</source>
            <translation>เริ่มทดสอบกล้อง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="197"></location>
            <source>No slip printer is configured ([printer] kind = "none").</source>
            <translation>ไม่ได้ตั้งเครื่องพิมพ์สลิป ([printer] kind = "none")</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="263"></location>
            <source>Printer test</source>
            <translation>ทดสอบเครื่องพิมพ์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/device.py" line="264"></location>
            <source>Test slip: no points were given or taken</source>
            <translation>สลิปทดสอบ: ไม่มีการให้หรือหักแต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/signin.py" line="115"></location>
            <source>Opening the ledger…</source>
            <translation>กำลังเปิดข้อมูลแต้ม…</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/staff.py" line="163"></location>
            <source>Selected</source>
            <translation>ที่เลือก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/staff.py" line="166"></location>
            <source>Add a staff member</source>
            <translation>เพิ่มพนักงาน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/staff.py" line="162"></location>
            <location filename="../../pos_app/ui/screens/staff.py" line="168"></location>
            <source>Role</source>
            <translation>ตำแหน่ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/staff.py" line="169"></location>
            <source>First PIN</source>
            <translation>PIN แรก</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/staff.py" line="170"></location>
            <source>Add</source>
            <translation>เพิ่ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/staff.py" line="171"></location>
            <source>Your PIN (confirms each change)</source>
            <translation>PIN ของคุณ (ยืนยันทุกการเปลี่ยนแปลง)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/staff.py" line="191"></location>
            <source>Nobody selected</source>
            <translation>ยังไม่ได้เลือกใคร</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="158"></location>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="161"></location>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="38"></location>
            <location filename="../../pos_app/ui/screens/voucher.py" line="27"></location>
            <location filename="../../pos_app/ui/slips.py" line="104"></location>
            <location filename="../../pos_app/ui/slips.py" line="108"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="32"></location>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="3"></location>
            <source>Voucher</source>
            <translation>บัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="183"></location>
            <source>No vouchers used.</source>
            <translation>ยังไม่มีการใช้บัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="189"></location>
            <source>Some vouchers were used twice while offline: the head office has them flagged.</source>
            <translation>มีบัตรกำนัลบางใบถูกใช้ซ้ำสองครั้งระหว่างออฟไลน์: สำนักงานใหญ่ได้ทำเครื่องหมายไว้แล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="37"></location>
            <source>Voucher {id}: {what}</source>
            <translation>บัตรกำนัล {id}: {what}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="38"></location>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="48"></location>
            <source>Takes off this bill: {amount}</source>
            <translation>ลดจากบิลนี้: {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="39"></location>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="56"></location>
            <source>Valid until {date}</source>
            <translation>ใช้ได้ถึง {date}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="388"></location>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="103"></location>
            <source>Voucher {id} used on receipt {receipt}: {what}; {amount} off.</source>
            <translation>ใช้บัตรกำนัล {id} กับใบเสร็จ {receipt}: {what}; ลด {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="396"></location>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="106"></location>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="81"></location>
            <source>(offline: sent to the server at the next sync)</source>
            <translation>(ออฟไลน์: จะส่งไปยังเซิร์ฟเวอร์เมื่อซิงค์ครั้งถัดไป)</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="41"></location>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="58"></location>
            <source>Minimum bill {amount}</source>
            <translation>ยอดบิลขั้นต่ำ {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="43"></location>
            <source>Only at branch {branch}</source>
            <translation>ใช้ได้เฉพาะสาขา {branch}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="45"></location>
            <source>Belongs to member {member}</source>
            <translation>เป็นของสมาชิก {member}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="162"></location>
            <location filename="../../pos_app/ui/slips.py" line="108"></location>
            <source>Valid until</source>
            <translation>ใช้ได้ถึง</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="185"></location>
            <source>{key}: {uses} used, {value}, offline {offline}, conflicts {conflicts}, waiting {waiting}</source>
            <translation>{key}: ใช้ {uses} ใบ, {value}, ออฟไลน์ {offline}, ซ้ำซ้อน {conflicts}, รอส่ง {waiting}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="167"></location>
            <source>The slip could not be written: {error}</source>
            <translation>เขียนสลิปไม่ได้: {error}</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="143"></location>
            <source>{name} bought voucher {id} ({what}, valid until {date}) for {points:,} points. Balance {after:,}.</source>
            <translation>{name} แลกบัตรกำนัล {id} ({what}, ใช้ได้ถึง {date}) ด้วย {points:,} คะแนน คงเหลือ {after:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="173"></location>
            <source>This is not a voucher code, or only part of it was read. Scan it again.</source>
            <translation>นี่ไม่ใช่รหัสบัตรกำนัล หรืออ่านได้เพียงบางส่วน กรุณาสแกนอีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="177"></location>
            <location filename="../../pos_app/services/sync_glue.py" line="381"></location>
            <source>This voucher is not genuine (its signature does not match). Do not accept it.</source>
            <translation>บัตรกำนัลนี้ไม่ใช่ของจริง (ลายเซ็นไม่ตรงกัน) ห้ามรับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="202"></location>
            <source>This voucher belongs to another member. Identify the member it was issued to.</source>
            <translation>บัตรกำนัลนี้เป็นของสมาชิกคนอื่น กรุณาระบุสมาชิกที่ได้รับบัตรนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="212"></location>
            <location filename="../../pos_app/services/sync_glue.py" line="371"></location>
            <source>This voucher has already been used.</source>
            <translation>บัตรกำนัลนี้ถูกใช้ไปแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="127"></location>
            <source>{factor}x points on this sale</source>
            <translation>คะแนน {factor} เท่าสำหรับการขายนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="183"></location>
            <source>This voucher was signed with a key this terminal does not know ({key_id}). Sync the terminal, then scan again.</source>
            <translation>บัตรกำนัลนี้ลงนามด้วยกุญแจที่เครื่องนี้ไม่รู้จัก ({key_id}) กรุณาซิงค์เครื่องแล้วสแกนอีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="188"></location>
            <source>This voucher expired on {date}.</source>
            <translation>บัตรกำนัลนี้หมดอายุเมื่อ {date}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="192"></location>
            <source>This voucher is valid from {date}; it cannot be used yet.</source>
            <translation>บัตรกำนัลนี้ใช้ได้ตั้งแต่ {date} ยังใช้ไม่ได้ตอนนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="197"></location>
            <source>This voucher is valid only at branch {branch}.</source>
            <translation>บัตรกำนัลนี้ใช้ได้เฉพาะที่สาขา {branch}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="206"></location>
            <source>This voucher needs a bill of at least {amount}.</source>
            <translation>บัตรกำนัลนี้ต้องมียอดบิลอย่างน้อย {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="121"></location>
            <source>{amount} off the bill</source>
            <translation>ลด {amount} จากบิล</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="123"></location>
            <source>{percent}% off the bill (at most {cap})</source>
            <translation>ลด {percent}% จากบิล (สูงสุด {cap})</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="126"></location>
            <source>A free item: reward {code}</source>
            <translation>สินค้าฟรี: ของรางวัล {code}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="372"></location>
            <source>This voucher is being used at another counter right now. Do not accept it twice.</source>
            <translation>บัตรกำนัลนี้กำลังถูกใช้ที่เคาน์เตอร์อื่นอยู่ ห้ามรับซ้ำ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="373"></location>
            <source>This voucher was cancelled by the head office. Do not accept it.</source>
            <translation>บัตรกำนัลนี้ถูกยกเลิกโดยสำนักงานใหญ่ ห้ามรับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="374"></location>
            <source>The loyalty server does not know this voucher. Do not accept it.</source>
            <translation>เซิร์ฟเวอร์สมาชิกไม่รู้จักบัตรกำนัลนี้ ห้ามรับ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="375"></location>
            <source>The loyalty server says this voucher has expired.</source>
            <translation>เซิร์ฟเวอร์สมาชิกแจ้งว่าบัตรกำนัลนี้หมดอายุแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="376"></location>
            <source>The loyalty server says this voucher is not valid at this branch.</source>
            <translation>เซิร์ฟเวอร์สมาชิกแจ้งว่าบัตรกำนัลนี้ใช้ที่สาขานี้ไม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="377"></location>
            <source>The loyalty server says this voucher belongs to another member.</source>
            <translation>เซิร์ฟเวอร์สมาชิกแจ้งว่าบัตรกำนัลนี้เป็นของสมาชิกคนอื่น</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="378"></location>
            <source>The loyalty server says the bill is below this voucher's minimum spend.</source>
            <translation>เซิร์ฟเวอร์สมาชิกแจ้งว่ายอดบิลต่ำกว่ายอดขั้นต่ำของบัตรกำนัลนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="379"></location>
            <source>This reward is not a voucher: redeem it as usual.</source>
            <translation>ของรางวัลนี้ไม่ใช่บัตรกำนัล: แลกตามปกติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="380"></location>
            <source>The server holds no points of this member for this voucher: try again.</source>
            <translation>เซิร์ฟเวอร์ไม่ได้กันคะแนนของสมาชิกนี้ไว้สำหรับบัตรกำนัลนี้: กรุณาลองอีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="244"></location>
            <source>A voucher can only be bought with points on a terminal connected to a loyalty server.</source>
            <translation>แลกบัตรกำนัลด้วยคะแนนได้เฉพาะเครื่องที่เชื่อมต่อกับเซิร์ฟเวอร์สมาชิกเท่านั้น</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/vouchers.py" line="141"></location>
            <source>This voucher cannot be accepted while the terminal is offline (the offline allowance for this voucher type is used up). Try again when the terminal is online.</source>
            <translation>รับบัตรกำนัลนี้ระหว่างออฟไลน์ไม่ได้ (ใช้สิทธิ์ออฟไลน์ของบัตรประเภทนี้ครบแล้ว) กรุณาลองอีกครั้งเมื่อเครื่องออนไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/vouchers.py" line="467"></location>
            <source>A voucher report is by day, kind or cashier.</source>
            <translation>รายงานบัตรกำนัลเลือกได้ตามวัน ประเภท หรือแคชเชียร์</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/vouchers.py" line="170"></location>
            <source>This voucher takes a percentage off: enter the bill amount.</source>
            <translation>บัตรกำนัลนี้ลดเป็นเปอร์เซ็นต์: กรุณาใส่ยอดบิล</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/vouchers.py" line="417"></location>
            <source>A voucher can only be bought with points while the terminal is online.</source>
            <translation>แลกบัตรกำนัลด้วยคะแนนได้เฉพาะเมื่อเครื่องออนไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/vouchers.py" line="427"></location>
            <source>The points were redeemed but the voucher could not be fetched: run the same command again with --op-id {op_id} when the terminal is online.</source>
            <translation>แลกคะแนนแล้วแต่ยังรับบัตรกำนัลไม่ได้: สั่งคำสั่งเดิมอีกครั้งพร้อม --op-id {op_id} เมื่อเครื่องออนไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="69"></location>
            <source>Use voucher</source>
            <translation>ใช้บัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="74"></location>
            <source>Done: voucher {id} used: {what}.</source>
            <translation>เรียบร้อย: ใช้บัตรกำนัล {id}: {what}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="39"></location>
            <source>Voucher {id}</source>
            <translation>บัตรกำนัล {id}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="60"></location>
            <source>For the member it was issued to</source>
            <translation>สำหรับสมาชิกที่ได้รับบัตรนี้เท่านั้น</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="66"></location>
            <source>Use voucher: {amount} off</source>
            <translation>ใช้บัตรกำนัล: ลด {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/voucher.py" line="41"></location>
            <source>Receipt number</source>
            <translation>เลขที่ใบเสร็จ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/voucher.py" line="153"></location>
            <source>Type the receipt number the voucher is used on.</source>
            <translation>กรุณาใส่เลขที่ใบเสร็จที่ใช้บัตรกำนัลนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="420"></location>
            <source>Add a cashier, disable or enable, reset a PIN</source>
            <translation>เพิ่มแคชเชียร์ ระงับหรือเปิดใช้ ตั้ง PIN ใหม่</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/counter.py" line="422"></location>
            <source>Sync, printer, camera and scanner tests, health checks, backup</source>
            <translation>การซิงก์ ทดสอบเครื่องพิมพ์ กล้อง และเครื่องสแกน ตรวจสุขภาพระบบ สำรองข้อมูล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="147"></location>
            <source>{amount} = {baht} at {rate}</source>
            <translation>{amount} = {baht} ที่อัตรา {rate}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="158"></location>
            <source>{amount} → {points} points</source>
            <translation>{amount} → ได้ {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="156"></location>
            <source>{amount} → 0 points: {why}</source>
            <translation>{amount} → ได้ 0 แต้ม: {why}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/history.py" line="84"></location>
            <source>Paid in {code}: refunded at the sale's rate, {rate} baht per {code}.</source>
            <translation>ชำระเป็น {code}: คืนเงินตามอัตราของวันที่ขาย {rate} บาทต่อ 1 {code}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/returns.py" line="42"></location>
            <source>Refund ({code})</source>
            <translation>ยอดคืนเงิน ({code})</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/award.py" line="93"></location>
            <source>Bill amount ({code})</source>
            <translation>ยอดซื้อ ({code})</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="208"></location>
            <source>Marketing messages: consent given.</source>
            <translation>ข่าวสารการตลาด: ให้ความยินยอมแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="209"></location>
            <source>Marketing messages: consent withdrawn.</source>
            <translation>ข่าวสารการตลาด: ถอนความยินยอมแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/base.py" line="148"></location>
            <source>This member's personal data was erased at their request: the card and codes can no longer be used. They may enroll again as a new member.</source>
            <translation>ข้อมูลส่วนบุคคลของสมาชิกนี้ถูกลบตามคำขอของสมาชิกแล้ว: ใช้บัตรและรหัสนี้ไม่ได้อีก สมัครใหม่เป็นสมาชิกใหม่ได้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/dialogs.py" line="158"></location>
            <source>The member agrees to receive marketing messages (optional)</source>
            <translation>สมาชิกยินยอมรับข่าวสารการตลาด (ไม่บังคับ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="479"></location>
            <source>Already erased.</source>
            <translation>ลบไปแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="480"></location>
            <source>Not erased: tick the confirmation and give the reason (the member's request and its reference, without personal data).</source>
            <translation>ยังไม่ได้ลบ: ทำเครื่องหมายยืนยันและระบุเหตุผล (คำขอของสมาชิกและเลขอ้างอิง โดยไม่ใส่ข้อมูลส่วนบุคคล)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="2"></location>
            <location filename="../../sync/server/console/templates/member.html" line="4"></location>
            <source>Erased member</source>
            <translation>สมาชิกที่ลบข้อมูลแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="5"></location>
            <source>Personal data erased on {at} (UTC) at the member's request.</source>
            <translation>ลบข้อมูลส่วนบุคคลแล้วเมื่อ {at} (UTC) ตามคำขอของสมาชิก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="46"></location>
            <source>Member's personal data (PDPA)</source>
            <translation>ข้อมูลส่วนบุคคลของสมาชิก (PDPA)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="47"></location>
            <source>Download everything held (PDF)</source>
            <translation>ดาวน์โหลดข้อมูลทั้งหมดที่เก็บไว้ (PDF)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="48"></location>
            <source>Download everything held (JSON)</source>
            <translation>ดาวน์โหลดข้อมูลทั้งหมดที่เก็บไว้ (JSON)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="52"></location>
            <source>Reason (request reference, no personal data)</source>
            <translation>เหตุผล (เลขอ้างอิงคำขอ ไม่ใส่ข้อมูลส่วนบุคคล)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="53"></location>
            <source>Erase name and phone everywhere; the points stay</source>
            <translation>ลบชื่อและเบอร์โทรทุกที่ แต้มยังคงอยู่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/member.html" line="54"></location>
            <source>Erase personal data</source>
            <translation>ลบข้อมูลส่วนบุคคล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="131"></location>
            <source>No backup yet: press "Back up now".</source>
            <translation>ยังไม่มีข้อมูลสำรอง: กด "สำรองข้อมูลเดี๋ยวนี้"</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/device.py" line="132"></location>
            <source>Last backup: {when} ({size} KB); {count} kept in {folder}</source>
            <translation>สำรองล่าสุด: {when} ({size} KB) เก็บไว้ {count} ชุดใน {folder}</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="817"></location>
            <source>A code is 1-64 letters, digits, dashes or underscores, starting with a letter or digit.</source>
            <translation>รหัสคือตัวอักษร ตัวเลข ขีด หรือขีดล่าง 1-64 ตัว ขึ้นต้นด้วยตัวอักษรหรือตัวเลข</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="818"></location>
            <source>Write a name of at most 200 characters.</source>
            <translation>ใส่ชื่อ ไม่เกิน 200 ตัวอักษร</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="819"></location>
            <source>Points: a whole number from 1 to 1,000,000.</source>
            <translation>แต้ม: จำนวนเต็มตั้งแต่ 1 ถึง 1,000,000</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="820"></location>
            <source>The end must be after the start.</source>
            <translation>วันสิ้นสุดต้องอยู่หลังวันเริ่ม</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="864"></location>
            <location filename="../../sync/server/console/pages.py" line="939"></location>
            <location filename="../../sync/server/console/pages.py" line="963"></location>
            <location filename="../../sync/server/console/pages.py" line="994"></location>
            <source>No such reward.</source>
            <translation>ไม่พบของรางวัลนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1036"></location>
            <location filename="../../sync/server/console/pages.py" line="1063"></location>
            <location filename="../../sync/server/console/pages.py" line="1103"></location>
            <source>No such voucher batch.</source>
            <translation>ไม่พบชุดบัตรกำนัลนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="897"></location>
            <source>Not added: see the messages beside the fields.</source>
            <translation>ยังไม่ได้เพิ่ม: ดูข้อความข้างช่องที่กรอก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="929"></location>
            <source>Not saved: see the messages beside the fields.</source>
            <translation>ยังไม่ได้บันทึก: ดูข้อความข้างช่องที่กรอก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="951"></location>
            <source>Not retired: tick the box to confirm.</source>
            <translation>ยังไม่ได้เลิกใช้: ติ๊กช่องเพื่อยืนยัน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="1083"></location>
            <source>Not voided: tick the box to confirm. Vouchers already used stay used.</source>
            <translation>ยังไม่ได้ยกเลิก: ติ๊กช่องเพื่อยืนยัน บัตรกำนัลที่ใช้ไปแล้วยังคงเป็นใช้แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="995"></location>
            <source>Not saved: write a whole number from 0 to 1,000,000 (a delivery at least 1).</source>
            <translation>ยังไม่ได้บันทึก: ใส่จำนวนเต็มตั้งแต่ 0 ถึง 1,000,000 (ของเข้าอย่างน้อย 1)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="997"></location>
            <source>This reward is not counted per branch: choose “counted per branch” first.</source>
            <translation>ของรางวัลนี้ไม่ได้นับสต็อกแยกสาขา: เลือก “นับแยกตามสาขา” ก่อน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="999"></location>
            <source>Choose Set or Add delivery.</source>
            <translation>เลือก ตั้งค่า หรือ เพิ่มของเข้า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/pages.py" line="907"></location>
            <source>There is already a reward {code}.</source>
            <translation>มีของรางวัล {code} อยู่แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="2"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="4"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="2"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="4"></location>
            <source>Rewards</source>
            <translation>ของรางวัล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/base.html" line="14"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="2"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="4"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="29"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="2"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="4"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>Vouchers</source>
            <translation>บัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="6"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="5"></location>
            <source>Saved. Terminals receive it at their next sync.</source>
            <translation>บันทึกแล้ว เครื่องขายจะได้รับเมื่อซิงก์ครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="7"></location>
            <source>Stock saved. The branch's terminals receive it at their next sync.</source>
            <translation>บันทึกสต็อกแล้ว เครื่องขายของสาขาจะได้รับเมื่อซิงก์ครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="8"></location>
            <source>Retired. Counters stop offering it at their next sync.</source>
            <translation>เลิกใช้แล้ว เครื่องขายจะหยุดเสนอเมื่อซิงก์ครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="9"></location>
            <source>Offered again from the counters' next sync.</source>
            <translation>เสนออีกครั้งตั้งแต่เครื่องขายซิงก์ครั้งถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="12"></location>
            <location filename="../../sync/server/console/templates/rewards.html" line="15"></location>
            <source>ended</source>
            <translation>สิ้นสุดแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="13"></location>
            <source>Bangkok time</source>
            <translation>เวลากรุงเทพฯ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="15"></location>
            <source>Stock per branch</source>
            <translation>สต็อกแยกตามสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="19"></location>
            <source>Left</source>
            <translation>คงเหลือ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="19"></location>
            <source>Set the count on the shelf, or add a delivery</source>
            <translation>ตั้งจำนวนที่มีบนชั้น หรือเพิ่มของเข้า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="25"></location>
            <source>Quantity</source>
            <translation>จำนวน</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="26"></location>
            <source>Set</source>
            <translation>ตั้งค่า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="27"></location>
            <source>Add delivery</source>
            <translation>เพิ่มของเข้า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="36"></location>
            <source>Counted for the whole chain: {count} left (loyalty-server reward set --stock). Choose “counted per branch” below to count it per branch.</source>
            <translation>นับรวมทั้งเครือ: เหลือ {count} (loyalty-server reward set --stock) เลือก “นับแยกตามสาขา” ด้านล่างเพื่อนับแยกแต่ละสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="38"></location>
            <source>Not counted: choose “counted per branch” below to keep a stock per branch.</source>
            <translation>ไม่ได้นับสต็อก: เลือก “นับแยกตามสาขา” ด้านล่างเพื่อเก็บสต็อกแต่ละสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="42"></location>
            <source>Edit</source>
            <translation>แก้ไข</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="45"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="51"></location>
            <source>Retire</source>
            <translation>เลิกใช้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="45"></location>
            <location filename="../../sync/server/console/templates/reward.html" line="54"></location>
            <source>Offer again</source>
            <translation>เสนออีกครั้ง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward.html" line="50"></location>
            <source>sure: counters stop offering it</source>
            <translation>แน่ใจ: เครื่องขายจะหยุดเสนอ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="12"></location>
            <source>letters, digits, - or _</source>
            <translation>ตัวอักษร ตัวเลข - หรือ _</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="16"></location>
            <source>From (Bangkok time)</source>
            <translation>ตั้งแต่ (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="16"></location>
            <source>empty: at once</source>
            <translation>เว้นว่าง: ทันที</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="17"></location>
            <source>Until (Bangkok time)</source>
            <translation>ถึง (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="17"></location>
            <source>empty: no end</source>
            <translation>เว้นว่าง: ไม่มีวันสิ้นสุด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="18"></location>
            <source>Stock</source>
            <translation>สต็อก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="20"></location>
            <source>counted per branch</source>
            <translation>นับแยกตามสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="21"></location>
            <source>not counted per branch</source>
            <translation>ไม่นับแยกตามสาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="25"></location>
            <source>Add reward</source>
            <translation>เพิ่มของรางวัล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/reward_form.html" line="25"></location>
            <source>Save</source>
            <translation>บันทึก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="7"></location>
            <source>A reward counted per branch is out of stock at a branch that has none left; a counter offline keeps selling from the last stock it pulled, and a redemption beyond the stock is kept and flagged (Flags page).</source>
            <translation>ของรางวัลที่นับแยกตามสาขาจะหมดที่สาขาที่ไม่เหลือแล้ว เครื่องขายที่ออฟไลน์ใช้สต็อกล่าสุดที่ได้รับ การแลกเกินสต็อกจะถูกเก็บไว้และติดธง (หน้าธง)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="10"></location>
            <source>Dates (Bangkok time)</source>
            <translation>วันที่ (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="10"></location>
            <source>Stock left</source>
            <translation>สต็อกคงเหลือ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="14"></location>
            <source>always</source>
            <translation>ตลอด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="16"></location>
            <source>in {count} branches</source>
            <translation>ใน {count} สาขา</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="16"></location>
            <source>chain-wide</source>
            <translation>ทั้งเครือ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="16"></location>
            <source>not counted</source>
            <translation>ไม่นับ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/rewards.html" line="24"></location>
            <source>New reward</source>
            <translation>ของรางวัลใหม่</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="6"></location>
            <source>Voided. Counters refuse these vouchers from now on; vouchers already used stay used.</source>
            <translation>ยกเลิกแล้ว เครื่องขายจะปฏิเสธบัตรกำนัลเหล่านี้ตั้งแต่นี้ไป บัตรที่ใช้แล้วยังคงเป็นใช้แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="8"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>Valid (Bangkok time)</source>
            <translation>ใช้ได้ (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="9"></location>
            <source>Voided {at} by {who}</source>
            <translation>ยกเลิกเมื่อ {at} โดย {who}</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="14"></location>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="32"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>Conflicts</source>
            <translation>ใช้ซ้ำ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="16"></location>
            <source>(the status of every voucher of the batch)</source>
            <translation>(สถานะของบัตรกำนัลทุกใบในชุด)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="18"></location>
            <source>Void this batch</source>
            <translation>ยกเลิกชุดนี้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="21"></location>
            <source>sure: {count} vouchers not used yet can no longer be used</source>
            <translation>แน่ใจ: บัตรกำนัลที่ยังไม่ใช้ {count} ใบจะใช้ไม่ได้อีก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="22"></location>
            <source>Void batch</source>
            <translation>ยกเลิกชุด</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="26"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="7"></location>
            <source>Conflicts: one voucher used twice</source>
            <translation>ใช้ซ้ำ: บัตรกำนัลใบเดียวถูกใช้สองครั้ง</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="32"></location>
            <source>Used (UTC)</source>
            <translation>ใช้เมื่อ (UTC)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="42"></location>
            <source>Previous</source>
            <translation>ก่อนหน้า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="43"></location>
            <source>Page {page} of {pages}</source>
            <translation>หน้า {page} จาก {pages}</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_batch.html" line="44"></location>
            <source>Next</source>
            <translation>ถัดไป</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="3"></location>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>Campaign</source>
            <translation>แคมเปญ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="3"></location>
            <source>Sale (Bangkok time)</source>
            <translation>การขาย (เวลากรุงเทพฯ)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="3"></location>
            <source>Value</source>
            <translation>มูลค่า</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="6"></location>
            <source>offline</source>
            <translation>ออฟไลน์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/voucher_conflicts.html" line="11"></location>
            <source>Each conflict is also a flag for a manager (Flags page).</source>
            <translation>การใช้ซ้ำแต่ละครั้งเป็นธงให้ผู้จัดการด้วย (หน้าธง)</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="5"></location>
            <source>Batches are issued with loyalty-server voucher batch; a voucher bought with points is a batch of one. Expired is read from the end of validity.</source>
            <translation>ชุดบัตรกำนัลออกด้วย loyalty-server voucher batch บัตรที่แลกด้วยแต้มคือชุดละหนึ่งใบ หมดอายุดูจากวันสิ้นสุดการใช้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="10"></location>
            <source>Batches</source>
            <translation>ชุดบัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>Benefit</source>
            <translation>สิทธิประโยชน์</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>issued</source>
            <translation>ออกแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>reserved</source>
            <translation>จองไว้</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>used</source>
            <translation>ใช้แล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>expired</source>
            <translation>หมดอายุ</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="13"></location>
            <source>void</source>
            <translation>ยกเลิก</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="16"></location>
            <source>voided</source>
            <translation>ยกเลิกแล้ว</translation>
        </message>
        <message>
            <location filename="../../sync/server/console/templates/vouchers.html" line="21"></location>
            <source>No voucher batches yet.</source>
            <translation>ยังไม่มีชุดบัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="382"></location>
            <location filename="../../pos_app/cli/voucher_cmds.py" line="98"></location>
            <source>Voucher {id} used on receipt {receipt}: {what}. The sale of {bill} earned {points:,} points ({bonus:,} of them from the voucher). Balance {after:,}.</source>
            <translation>ใช้บัตรกำนัล {id} กับใบเสร็จ {receipt}: {what} การขาย {bill} ได้ {points:,} คะแนน (จากบัตรกำนัล {bonus:,} คะแนน) คงเหลือ {after:,}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/rules.py" line="459"></location>
            <source>A points multiplier is a whole number from 1 to {most}.</source>
            <translation>ตัวคูณคะแนนต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง {most}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/vouchers.py" line="135"></location>
            <source>A points-multiplier voucher is used with the sale it multiplies: give the member and the bill amount, and the sale is recorded with the multiplied points.</source>
            <translation>บัตรกำนัลคูณคะแนนใช้คู่กับการขายที่คูณ: ระบุสมาชิกและยอดบิล แล้วการขายจะถูกบันทึกพร้อมคะแนนที่คูณแล้ว</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="356"></location>
            <location filename="../../pos_app/services/vouchers.py" line="126"></location>
            <location filename="../../pos_app/ui/presenters/award.py" line="86"></location>
            <source>The voucher pays the whole bill: there is nothing paid to earn points on.</source>
            <translation>บัตรกำนัลครอบคลุมทั้งบิล: ไม่มียอดที่จ่ายเพื่อรับคะแนน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/award.py" line="139"></location>
            <source>{bill} − voucher …{tail} {discount} = {paid} paid</source>
            <translation>{bill} − บัตรกำนัล …{tail} {discount} = จ่าย {paid}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="79"></location>
            <source>Award the points on what the member pays.</source>
            <translation>ให้คะแนนตามยอดที่สมาชิกจ่าย</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="68"></location>
            <source>Use voucher: award {points} points</source>
            <translation>ใช้บัตรกำนัล: ให้ {points} คะแนน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="76"></location>
            <source>{points} points awarded. New balance {balance} points.</source>
            <translation>ให้ {points} คะแนนแล้ว คงเหลือใหม่ {balance} คะแนน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="55"></location>
            <source>Find the member and type the bill: the sale is recorded with the voucher</source>
            <translation>ค้นหาสมาชิกและพิมพ์ยอดบิล: การขายจะถูกบันทึกพร้อมบัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="50"></location>
            <source>The member pays {paid} and earns {points} points on it</source>
            <translation>สมาชิกจ่าย {paid} และได้ {points} คะแนน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/voucher.py" line="53"></location>
            <source>Used with this sale: it earns {points} points</source>
            <translation>ใช้กับการขายนี้: ได้ {points} คะแนน</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="85"></location>
            <source>Voucher …{tail}</source>
            <translation>บัตรกำนัล …{tail}</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="95"></location>
            <source>{what} (+{points} points)</source>
            <translation>{what} (+{points} คะแนน)</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="131"></location>
            <source>Paid</source>
            <translation>จ่าย</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/slips.py" line="130"></location>
            <source>{amount} off</source>
            <translation>ลด {amount}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="136"></location>
            <source>A voucher (bought online)</source>
            <translation>บัตรกำนัล (แลกได้เมื่อออนไลน์)</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/vouchers.py" line="137"></location>
            <source>A voucher: {what}</source>
            <translation>บัตรกำนัล: {what}</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/redeem.py" line="98"></location>
            <source>Reward {code} buys a voucher: use 'Buy voucher' (pos-terminal voucher buy) while online, so the member gets the voucher for the points.</source>
            <translation>ของรางวัล {code} เป็นบัตรกำนัล: ใช้ 'ซื้อบัตรกำนัล' (pos-terminal voucher buy) ขณะออนไลน์ เพื่อให้สมาชิกได้รับบัตรกำนัลสำหรับแต้มที่ใช้</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/vouchers.py" line="411"></location>
            <source>Reward {code} is not a voucher: redeem it as usual.</source>
            <translation>ของรางวัล {code} ไม่ใช่บัตรกำนัล: แลกตามปกติ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/redeem.py" line="109"></location>
            <source>Buy voucher: {points} points</source>
            <translation>ซื้อบัตรกำนัล: {points} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="307"></location>
            <source>Done: voucher {id} bought for {points} points: {what}, valid until {date}. It is printed on the slip. New balance {balance} points.</source>
            <translation>เรียบร้อย: ซื้อบัตรกำนัล {id} ด้วย {points} แต้ม: {what} ใช้ได้ถึง {date} พิมพ์ไว้บนสลิปแล้ว แต้มคงเหลือ {balance} แต้ม</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="256"></location>
            <source>The points were redeemed but the voucher could not be fetched: press the button again when the terminal is online (no more points are spent).</source>
            <translation>แลกแต้มแล้วแต่ยังรับบัตรกำนัลไม่ได้: กดปุ่มอีกครั้งเมื่อเครื่องออนไลน์ (ไม่หักแต้มเพิ่ม)</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="314"></location>
            <source>This member belongs to another branch and the loyalty server cannot be reached ({reason}): scan the card again when the counter is back online.</source>
            <translation>สมาชิกคนนี้เป็นสมาชิกของสาขาอื่น และติดต่อเซิร์ฟเวอร์สะสมแต้มไม่ได้ ({reason}): สแกนบัตรอีกครั้งเมื่อเครื่องกลับมาออนไลน์</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="288"></location>
            <source>A voucher is used on a bill in baht: record a sale in another currency without --voucher.</source>
            <translation>บัตรกำนัลใช้กับบิลเงินบาท: บันทึกการขายด้วยสกุลเงินอื่นโดยไม่ใส่ --voucher</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="291"></location>
            <source>Category lines cannot be combined with --voucher: award the bill without them.</source>
            <translation>ใช้รายการตามหมวดร่วมกับ --voucher ไม่ได้: ให้แต้มทั้งบิลโดยไม่แยกหมวด</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="361"></location>
            <source>{paid} paid would earn {points:,} points for {name} (voucher {id}: {what}).</source>
            <translation>ยอดที่จ่าย {paid} จะได้ {points:,} แต้มสำหรับ {name} (บัตรกำนัล {id}: {what})</translation>
        </message>
        <message>
            <location filename="../../pos_app/cli/terminal_cmds.py" line="392"></location>
            <source>Voucher {id} used on receipt {receipt}: {what}.</source>
            <translation>ใช้บัตรกำนัล {id} กับใบเสร็จ {receipt}: {what}</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="17"></location>
            <source>Voucher reward redeemed without a voucher</source>
            <translation>แลกของรางวัลบัตรกำนัลโดยไม่ได้บัตรกำนัล</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="18"></location>
            <source>Voucher used twice</source>
            <translation>ใช้บัตรกำนัลซ้ำสองครั้ง</translation>
        </message>
        <message>
            <location filename="../../pos_app/core/flags.py" line="19"></location>
            <source>Inactive member: keep or erase</source>
            <translation>สมาชิกไม่เคลื่อนไหว: เก็บไว้หรือลบ</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/presenters/flags.py" line="83"></location>
            <source>Reward {code} buys a voucher; none was issued for these points</source>
            <translation>ของรางวัล {code} ใช้แลกบัตรกำนัล แต่ไม่ได้ออกบัตรกำนัลให้สำหรับแต้มนี้</translation>
        </message>
        <message>
            <location filename="../../pos_app/ui/screens/redeem.py" line="294"></location>
            <source>{member}'s voucher ({reward}) is paid for but was not fetched: find the member again and press Buy voucher (no more points are spent; operation {op_id}).</source>
            <translation>บัตรกำนัล ({reward}) ของ {member} จ่ายแต้มแล้วแต่ยังไม่ได้รับบัตร: ค้นหาสมาชิกอีกครั้งแล้วกด ซื้อบัตรกำนัล (ไม่หักแต้มเพิ่ม; รายการ {op_id})</translation>
        </message>
        <message>
            <location filename="../../pos_app/services/sync_glue.py" line="335"></location>
            <source>The loyalty server says this reward is out of stock ({stock} in stock, {held} on hold for redemptions in progress).</source>
            <translation>เซิร์ฟเวอร์สมาชิกแจ้งว่าของรางวัลนี้หมด (คงเหลือ {stock} ชิ้น ถูกจองไว้สำหรับการแลกที่กำลังดำเนินการ {held} ชิ้น)</translation>
        </message>
    </context>
</TS>
