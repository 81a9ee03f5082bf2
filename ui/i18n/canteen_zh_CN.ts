<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttachmentsPanel</name>
    <message>
        <location filename="../attachments.py" line="35"/>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="39"/>
        <source>Attached files</source>
        <translation>已附文件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="46"/>
        <source>Void file…</source>
        <translation>作废文件…</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="48"/>
        <source>Void the selected file</source>
        <translation>作废所选文件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="49"/>
        <source>Withdraw a file attached by mistake; it stays readable among the voided.</source>
        <translation>撤回误加的文件；它仍可在已作废文件中查看。</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="51"/>
        <location filename="../attachments.py" line="53"/>
        <source>Show voided files</source>
        <translation>显示已作废文件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="55"/>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="57"/>
        <source>Add file</source>
        <translation>添加文件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="59"/>
        <source>Drop scans or photos here; double-click to open.</source>
        <translation>可将扫描件或照片拖放到此处；双击打开。</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="103"/>
        <source>{0} (voided)</source>
        <translation>{0}（已作废）</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="105"/>
        <source>Voided: kept for the record, no longer counts as the record&apos;s file.</source>
        <translation>已作废：保留备查，不再作为该记录的附件。</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="115"/>
        <source>Void file</source>
        <translation>作废文件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="116"/>
        <source>Why is {0} void? It stays readable among the voided files.</source>
        <translation>为什么作废 {0}？它仍可在已作废文件中查看。</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="130"/>
        <source>Attach scans or photos</source>
        <translation>添加扫描件或照片</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="131"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)</source>
        <translation>图片和 PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../login.py" line="107"/>
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="108"/>
        <location filename="../login.py" line="115"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="109"/>
        <location filename="../login.py" line="116"/>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="122"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../forms/dialogs.py" line="25"/>
        <source>Something went wrong and nothing was saved: {0}</source>
        <translation>出现问题，未保存任何内容：{0}</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="30"/>
        <source>This record cannot be saved in this state:</source>
        <translation>此记录在当前状态下不能保存：</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="37"/>
        <source>Rule: {0} — source: {1}</source>
        <translation>规则：{0} — 依据：{1}</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="43"/>
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export the district summary</source>
        <translation>导出区县汇总</translation>
    </message>
    <message>
        <source>A page of totals, then one line per canteen: records, findings by severity, open and overdue cases, and its audit chain head.</source>
        <translation>一页合计，然后每个食堂一行：记录数、按严重程度的问题数、待整改与逾期问题，以及其审计链头。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="74"/>
        <source>Export the inspection archive</source>
        <translation>导出检查档案</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="75"/>
        <source>Every record of the period with its history, signatures, findings and the audit chain head, as one PDF/A file an inspector can check.</source>
        <translation>该期间的全部记录及其修改历史、签名、检查发现和审计链头，合为一个供检查人员核验的 PDF/A 文件。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="87"/>
        <source>Print the daily sheet</source>
        <translation>打印每日记录表</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="88"/>
        <source>The records of {0} on one sheet, with the signatures and the audit chain head.</source>
        <translation>{0}的全部记录汇于一张表，附签名和审计链头。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="99"/>
        <source>Print sample labels</source>
        <translation>打印留样标签</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="100"/>
        <source>Labels for the samples retained on {0}: dish, meal, time, weight, keep-until and who sampled.</source>
        <translation>{0}留样的标签：菜品、餐次、时间、重量、留存至、留样人。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="114"/>
        <source>Print the monthly disclosure</source>
        <translation>打印月度伙食账目公示</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="115"/>
        <source>The month&apos;s income, costs by category, surplus and rate, for the notice board ({0}).</source>
        <translation>本月收入、分类成本、结余及结余率，用于张贴公示（{0}）。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="150"/>
        <source>File to write</source>
        <translation>要写入的文件</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="151"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="158"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="161"/>
        <source>First day</source>
        <translation>起始日</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="162"/>
        <source>Last day</source>
        <translation>截止日</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="163"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="164"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="165"/>
        <source>Open the file when it is done</source>
        <translation>完成后打开文件</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="170"/>
        <source>Export progress</source>
        <translation>导出进度</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="177"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="180"/>
        <location filename="../export_dialog.py" line="251"/>
        <location filename="../export_dialog.py" line="273"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="202"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="216"/>
        <source>Choose the file to write.</source>
        <translation>请选择要写入的文件。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="219"/>
        <source>The folder {0} does not exist.</source>
        <translation>文件夹 {0} 不存在。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="225"/>
        <source>The first day is after the last day.</source>
        <translation>起始日晚于截止日。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="230"/>
        <source>Writing {0}…</source>
        <translation>正在写入 {0}…</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="251"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="267"/>
        <source>Written: {0} ({1} pages).</source>
        <translation>已写入：{0}（共 {1} 页）。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="268"/>
        <source>Written: {0}.</source>
        <translation>已写入：{0}。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="271"/>
        <source>Records SHA-256: {0}</source>
        <translation>记录 SHA-256：{0}</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="284"/>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../export_dialog.py" line="292"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../app.py" line="64"/>
        <source>First start</source>
        <translation>首次启动</translation>
    </message>
    <message>
        <location filename="../app.py" line="65"/>
        <source>Welcome — Canteen food-safety log</source>
        <translation>欢迎使用 — 食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../app.py" line="66"/>
        <source>There is no canteen database yet at:
{0}</source>
        <translation>此位置还没有食堂台账数据库：
{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="68"/>
        <location filename="../app.py" line="70"/>
        <source>Create a new canteen</source>
        <translation>新建食堂</translation>
    </message>
    <message>
        <location filename="../app.py" line="71"/>
        <source>Open the demo (a school term of sample records)</source>
        <translation>打开演示（一个学期的示例记录）</translation>
    </message>
    <message>
        <location filename="../app.py" line="73"/>
        <source>Open the demo</source>
        <translation>打开演示</translation>
    </message>
    <message>
        <location filename="../app.py" line="84"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../app.py" line="87"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../app.py" line="98"/>
        <location filename="../app.py" line="105"/>
        <source>Canteen name</source>
        <translation>食堂名称</translation>
    </message>
    <message>
        <location filename="../app.py" line="99"/>
        <location filename="../app.py" line="106"/>
        <source>Administrator&apos;s user name</source>
        <translation>系统管理员用户名</translation>
    </message>
    <message>
        <location filename="../app.py" line="101"/>
        <location filename="../app.py" line="107"/>
        <source>Administrator&apos;s password</source>
        <translation>系统管理员密码</translation>
    </message>
    <message>
        <location filename="../app.py" line="103"/>
        <location filename="../app.py" line="108"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../app.py" line="109"/>
        <source>The administrator adds the other users (manager, doctor, director…) after signing in.</source>
        <translation>系统管理员登录后再添加其他用户（食堂管理员、校医、总务主任等）。</translation>
    </message>
    <message>
        <location filename="../app.py" line="119"/>
        <source>School days of demo data</source>
        <translation>演示数据的上课天数</translation>
    </message>
    <message>
        <location filename="../app.py" line="124"/>
        <source>Demo progress</source>
        <translation>演示数据生成进度</translation>
    </message>
    <message>
        <location filename="../app.py" line="126"/>
        <source>Cancel building</source>
        <translation>取消生成</translation>
    </message>
    <message>
        <location filename="../app.py" line="130"/>
        <source>School days</source>
        <translation>上课天数</translation>
    </message>
    <message>
        <location filename="../app.py" line="133"/>
        <source>Demo users: admin, manager, doctor, director, leader, auditor — password “demo”.</source>
        <translation>演示用户：admin、manager、doctor、director、leader、auditor — 密码均为“demo”。</translation>
    </message>
    <message>
        <location filename="../app.py" line="158"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../app.py" line="195"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../app.py" line="210"/>
        <source>The demo was not built.</source>
        <translation>演示数据未生成。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import {0}</source>
        <translation>导入{0}</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Reason for late entry</source>
        <translation>补录原因</translation>
    </message>
    <message>
        <source>for rows more than a day old that give none</source>
        <translation>用于超过一天且未填写补录原因的行</translation>
    </message>
    <message>
        <source>Reason to import it again</source>
        <translation>再次导入的原因</translation>
    </message>
    <message>
        <source>Import result</source>
        <translation>导入结果</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Choose a sheet to import</source>
        <translation>选择要导入的表格</translation>
    </message>
    <message>
        <source>Sheets ({0})</source>
        <translation>表格（{0}）</translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation>正在读取 {0}…</translation>
    </message>
    <message>
        <source>Imported {0} records from {1} ({2}).</source>
        <translation>已从 {1} 导入 {0} 条记录（{2}）。</translation>
    </message>
    <message>
        <source>{0} rows repeat records already kept (imported anyway):</source>
        <translation>{0} 行与已有记录重复（仍已导入）：</translation>
    </message>
    <message>
        <source>To import it once more, say why in “Reason to import it again” and press Import.</source>
        <translation>如需再次导入，请在“再次导入的原因”中说明原因，然后点击“导入”。</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../attachments.py" line="196"/>
        <source>Attachment viewer</source>
        <translation>附件查看</translation>
    </message>
</context>
<context>
    <name>ListEditor</name>
    <message>
        <location filename="../forms/editors.py" line="114"/>
        <source>separate with commas</source>
        <translation>用逗号或顿号分隔</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <location filename="../login.py" line="143"/>
        <source>Screen locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <location filename="../login.py" line="144"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../login.py" line="146"/>
        <source>Locked after a time without use. {0}, enter your password to go on.</source>
        <translation>因长时间未操作已锁定。{0}，请输入密码继续。</translation>
    </message>
    <message>
        <location filename="../login.py" line="149"/>
        <source>Anything you were typing is kept as it was.</source>
        <translation>您正在录入的内容会原样保留。</translation>
    </message>
    <message>
        <location filename="../login.py" line="151"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="154"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../login.py" line="176"/>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login.py" line="41"/>
        <location filename="../login.py" line="52"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../login.py" line="42"/>
        <source>Sign in — Canteen food-safety log</source>
        <translation>登录 — 食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../login.py" line="43"/>
        <source>Canteen food-safety log</source>
        <translation>食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../login.py" line="48"/>
        <location filename="../login.py" line="59"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../login.py" line="49"/>
        <location filename="../login.py" line="60"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="55"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../login.py" line="75"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../login.py" line="94"/>
        <source>The administrator asks you to choose a new password first.</source>
        <translation>系统管理员要求您先设置新密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>%1 (read-only)</source>
        <translation>%1（只读）</translation>
    </message>
    <message>
        <source>District overview</source>
        <translation>区县总览</translation>
    </message>
    <message>
        <source>Export &amp;district summary…</source>
        <translation>导出区县汇总(&amp;D)…</translation>
    </message>
    <message>
        <source>District summary written: {0}</source>
        <translation>区县汇总已写入：{0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="87"/>
        <source>Canteen food-safety log</source>
        <translation>食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="101"/>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="131"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="133"/>
        <source>Findings</source>
        <translation>问题清单</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="145"/>
        <source>Month view and chart</source>
        <translation>月度汇总与图表</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="147"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="149"/>
        <source>Settings and users</source>
        <translation>设置与用户</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="155"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="156"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="157"/>
        <source>&amp;Export archive…</source>
        <translation>导出检查档案(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="162"/>
        <source>&amp;Lock screen</source>
        <translation>锁定屏幕(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="163"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="165"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="166"/>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170"/>
        <source>&amp;Navigation list</source>
        <translation>导航列表(&amp;N)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="171"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176"/>
        <source>Automatic (system language)</source>
        <translation>自动（跟随系统）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="183"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="184"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="203"/>
        <source>Signed-in user</source>
        <translation>当前登录用户</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="305"/>
        <source>Refreshed</source>
        <translation>已刷新</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="317"/>
        <source>Checking the integrity of the records…</source>
        <translation>正在校验记录完整性…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="319"/>
        <source>The integrity check could not run: %1</source>
        <translation>完整性校验未能运行：%1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="327"/>
        <source>⚠ Records changed outside the program</source>
        <translation>⚠ 记录曾在程序之外被改动</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="329"/>
        <source>Integrity warning</source>
        <translation>完整性警告</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="335"/>
        <source>… and %1 more</source>
        <translation>…… 另有 %1 处</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="336"/>
        <source>Integrity check</source>
        <translation>完整性校验</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="338"/>
        <source>The audit trail page shows every entry; tell the school&apos;s management.</source>
        <translation>审计日志页列出了全部条目；请报告学校管理层。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="357"/>
        <source>Language changed</source>
        <translation>语言已切换</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="396"/>
        <source>Unlocked</source>
        <translation>已解锁</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="406"/>
        <source>Archive written: {0}</source>
        <translation>检查档案已写入：{0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="414"/>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="415"/>
        <source>Canteen food-safety log
Records of a school canteen&apos;s deliveries, tests, samples, staff, hygiene, meals and costs, with a hash-chained audit trail and electronic signatures.</source>
        <translation>食堂食品安全台账
记录学校食堂的进货查验、检测、留样、人员、卫生、用餐和伙食成本，带有哈希链审计日志和电子签名。</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>&amp;Push to district…</source>
        <translation>上报区县(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>Only the canteen's administrator pushes to the district.</source>
        <translation>只有食堂的系统管理员可以上报区县。</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>Day {0} closed: pushing to the district…</source>
        <translation>{0} 已日结：正在上报区县…</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>Pushed to the district at the daily close: {0}</source>
        <translation>日结时已上报区县：{0}</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>Pushed to the district at the daily close by this computer: {0}</source>
        <translation>日结时本机已自动上报区县：{0}</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>Not pushed to the district at the daily close (nothing is lost: the next push sends it): {0}</source>
        <translation>日结时未能上报区县（记录不会丢失，下次上报时一并发送）：{0}</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>⚠ Not pushed to the district — push now…</source>
        <translation>⚠ 未上报区县 — 立即上报…</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>Push warning</source>
        <translation>上报提醒</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>{0}
Nothing is lost: the next close or File → Push to district sends it.</source>
        <translation>{0}
记录不会丢失：下次日结或“文件 → 上报区县”时一并发送。</translation>
    </message>
    <message>
        <location filename="../main_window.py"/>
        <source>Not pushed to the district at the daily close: {0}</source>
        <translation>日结时未能上报区县：{0}</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../forms/dialogs.py" line="59"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="74"/>
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
</context>
<context>
    <name>RecordForm</name>
    <message>
        <location filename="../forms/record_form.py" line="66"/>
        <source>New record: {0}</source>
        <translation>新增记录：{0}</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="67"/>
        <source>Amend record: {0} No. {1}</source>
        <translation>修改记录：{0} 第 {1} 号</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="107"/>
        <source>Reason for the amendment</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="111"/>
        <source>Reason for the amendment *</source>
        <translation>修改原因 *</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="126"/>
        <source>Reason for late entry</source>
        <translation>补录原因</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="127"/>
        <source>Reason for late entry *</source>
        <translation>补录原因 *</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="159"/>
        <location filename="../forms/record_form.py" line="161"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="163"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="168"/>
        <source>Enter saves · Esc cancels · * required</source>
        <translation>回车保存 · Esc 取消 · * 为必填</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="170"/>
        <location filename="../forms/record_form.py" line="172"/>
        <source>Open a new form after saving</source>
        <translation>保存后打开新表单</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="336"/>
        <source>Test card: POSITIVE — two retests are needed before the batch is used.</source>
        <translation>速测卡：阳性 — 须两次复检均为阴性方可使用该批次。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="337"/>
        <source>Test card: negative</source>
        <translation>速测卡：阴性</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="341"/>
        <source>Inhibition %: enter ΔA0 and ΔAt</source>
        <translation>抑制率：请输入 ΔA0 和 ΔAt</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="345"/>
        <source>Inhibition {0} % — POSITIVE: two retests are needed before the batch is used.</source>
        <translation>抑制率 {0} % — 阳性：须两次复检均为阴性方可使用该批次。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="346"/>
        <source>Inhibition {0} % — negative</source>
        <translation>抑制率 {0} % — 阴性</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="349"/>
        <source>ΔA0 {0} is outside the expected {1}–{2}: check the enzyme and reagents.</source>
        <translation>ΔA0 {0} 超出期望范围 {1}–{2}：请检查酶和试剂。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="359"/>
        <source>Keep until {0}</source>
        <translation>留存至 {0}</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="362"/>
        <source>Under {0} g: it will be saved and reported as a violation (SMP-WEIGHT).</source>
        <translation>不足 {0} 克：可以保存，但将作为违规报告（SMP-WEIGHT）。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="381"/>
        <source>Say why the record is changed.</source>
        <translation>请说明修改原因。</translation>
    </message>
</context>
<context>
    <name>RecordTableModel</name>
    <message>
        <location filename="../models/records.py" line="196"/>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../models/records.py" line="197"/>
        <source>changed after signing</source>
        <translation>签名后已修改</translation>
    </message>
    <message>
        <location filename="../models/records.py" line="354"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../models/records.py" line="355"/>
        <source>Expires within a month</source>
        <translation>一个月内到期</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Close the day with open cases</source>
        <translation>带未结整改事项日结</translation>
    </message>
    <message>
        <source>{0}

Why is the day closed with these cases still open?</source>
        <translation>{0}

这些整改事项尚未完成，为什么仍要日结？</translation>
    </message>
    <message>
        <source>Not signed: the day stays open</source>
        <translation>未签名：当日未日结</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="76"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="77"/>
        <source>Search (Ctrl+F): name, supplier, person, number…</source>
        <translation>搜索（Ctrl+F）：名称、供货者、人员、编号…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="81"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="83"/>
        <source>Limit to dates</source>
        <translation>按日期筛选</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="91"/>
        <source>Number of records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="99"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="103"/>
        <source>&amp;Add</source>
        <translation>新增(&amp;A)</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="103"/>
        <source>Add a record (Ctrl+N)</source>
        <translation>新增记录（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="104"/>
        <source>A&amp;mend…</source>
        <translation>修改(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="104"/>
        <source>Amend the selected record</source>
        <translation>修改所选记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="105"/>
        <source>&amp;Void…</source>
        <translation>作废(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="105"/>
        <source>Void the selected record</source>
        <translation>作废所选记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="106"/>
        <source>&amp;Sign…</source>
        <translation>签名(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="106"/>
        <source>Sign the selected record</source>
        <translation>签署所选记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="111"/>
        <source>Sample &amp;labels (PDF)…</source>
        <translation>留样标签 PDF(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="112"/>
        <source>Labels for the samples of the selected sample&apos;s day (or of the last day in the date range)</source>
        <translation>所选留样当天（或日期范围最后一天）的留样标签</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="129"/>
        <location filename="../pages/records.py" line="131"/>
        <location filename="../pages/records.py" line="464"/>
        <source>Record its pesticide test</source>
        <translation>录入农残检测</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="133"/>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="145"/>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="168"/>
        <source>History of the record</source>
        <translation>记录的修改历史</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="169"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="169"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="169"/>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="169"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="170"/>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="174"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="177"/>
        <location filename="../pages/records.py" line="385"/>
        <source>No record selected</source>
        <translation>未选择记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="179"/>
        <source>Signature state</source>
        <translation>签名状态</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="183"/>
        <location filename="../pages/records.py" line="191"/>
        <source>Signatures</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="184"/>
        <source>Signed by</source>
        <translation>签名人</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="184"/>
        <source>Date and time</source>
        <translation>日期时间</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="185"/>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="185"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="197"/>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="258"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="267"/>
        <source>{0} of {1} records</source>
        <translation>{0} / {1} 条记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="269"/>
        <source>{0} records</source>
        <translation>{0} 条记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="378"/>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="401"/>
        <source>Not signed</source>
        <translation>未签名</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="402"/>
        <source>Signed — locked</source>
        <translation>已签名 — 已锁定</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="403"/>
        <source>Changed after signing — needs signing again</source>
        <translation>签名后已修改 — 需要重新签名</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="422"/>
        <source>This record is signed. Amending it makes a new version that needs signing again.</source>
        <translation>此记录已签名。修改将产生新版本，需要重新签名。</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="437"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="437"/>
        <source>Amended</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="438"/>
        <source>{0}: {1} No. {2}</source>
        <translation>{0}：{1} 第 {2} 号</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="456"/>
        <source>The daily inspection of {0} is saved: sign it now to close the day?</source>
        <translation>{0} 的每日检查已保存：现在签名并完成日结吗？</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="457"/>
        <source>Sign it now…</source>
        <translation>现在签名…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="463"/>
        <source>{0} was accepted: screen it for pesticide residues now?</source>
        <translation>{0}已验收：现在进行农药残留快检吗？</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="487"/>
        <source>Saved: pesticide test No. {0} — {1}</source>
        <translation>已保存：农残检测第 {0} 号 — {1}</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="506"/>
        <source>Sample labels written: {0}</source>
        <translation>留样标签已写入：{0}</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="511"/>
        <source>Voided file No. {0}; it stays readable among the voided files.</source>
        <translation>已作废文件 {0} 号；它仍可在已作废文件中查看。</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="518"/>
        <source>Void record</source>
        <translation>作废记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="519"/>
        <source>Why is record No. {0} void? It stays readable.</source>
        <translation>第 {0} 号记录为何作废？作废后仍可查阅。</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="527"/>
        <source>Voided record No. {0}</source>
        <translation>已作废第 {0} 号记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="535"/>
        <source>Sign {0} No. {1}, version {2}, as {3}.</source>
        <translation>以 {3} 的身份签署{0}第 {1} 号（版本 {2}）。</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="541"/>
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="547"/>
        <source>Signed record No. {0}</source>
        <translation>已签署第 {0} 号记录</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Bring in a filled-in sheet (.xlsx, .xls, .ods, .csv, .txt): all rows or none</source>
        <translation>导入填好的表格（.xlsx、.xls、.ods、.csv、.txt）：全部导入或全部不导入</translation>
    </message>
    <message>
        <source>Imported {0} records</source>
        <translation>已导入 {0} 条记录</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../forms/dialogs.py" line="91"/>
        <source>Sign record</source>
        <translation>签署记录</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="94"/>
        <source>Meaning of the signature</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="99"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="102"/>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="109"/>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="110"/>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="111"/>
        <source>A signed record is locked: a later change needs signing again.</source>
        <translation>签名后记录即锁定：之后的修改需要重新签名。</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Replace {0} with the backup {1}?</source>
        <translation>用备份 {1} 替换 {0}？</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>What will be lost</source>
        <translation>将丢失的内容</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>User name (of the backup)</source>
        <translation>用户名（备份中的用户）</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Restore, losing what is listed</source>
        <translation>恢复（丢失所列内容）</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Damaged database</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <location filename="../restore.py" line="1"/>
        <source>Restore from the latest backup ({0})</source>
        <translation>从最近的备份恢复（{0}）</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <source>Record a corrective action</source>
        <translation>记录整改措施</translation>
    </message>
    <message>
        <source>The case</source>
        <translation>整改事项</translation>
    </message>
    <message>
        <source>Why it was not saved</source>
        <translation>未保存的原因</translation>
    </message>
    <message>
        <source>Save the action</source>
        <translation>保存整改措施</translation>
    </message>
    <message>
        <source>Message about %1</source>
        <translation>关于%1的提示</translation>
    </message>
    <message>
        <source>&amp;Action *</source>
        <translation>整改措施(&amp;A) *</translation>
    </message>
    <message>
        <source>What was done, in a sentence (required for “Other”)</source>
        <translation>一句话说明做了什么（选“其他”时必填）</translation>
    </message>
    <message>
        <source>&amp;What was done</source>
        <translation>整改说明(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Responsible *</source>
        <translation>责任人(&amp;R) *</translation>
    </message>
    <message>
        <source>Acted &amp;at *</source>
        <translation>整改时间(&amp;A) *</translation>
    </message>
    <message>
        <source>Reason for late entry *</source>
        <translation>补录原因 *</translation>
    </message>
    <message>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add a photo or scan</source>
        <translation>添加照片或扫描件</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected file</source>
        <translation>移除所选文件</translation>
    </message>
    <message>
        <source>Files to attach</source>
        <translation>要附加的文件</translation>
    </message>
    <message>
        <source>Photos, scans</source>
        <translation>照片、扫描件</translation>
    </message>
    <message>
        <source>{0} day(s)</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <source>Attach photos or scans</source>
        <translation>附加照片或扫描件</translation>
    </message>
    <message>
        <source>Images and PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)</source>
        <translation>图片和 PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>PushDialog</name>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Signed with the canteen's site key</source>
        <translation>已用本食堂站点密钥签名</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Push to district</source>
        <translation>上报区县</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Sends the district every record, signature and attachment it has not yet got, signed with the canteen's site key. The district takes all of it or nothing.</source>
        <translation>将区县尚未收到的全部记录、签名和附件发送给区县，并以本食堂站点密钥签名。区县要么全部接收，要么一条也不接收。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Push progress</source>
        <translation>上报进度</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>To the district's database</source>
        <translation>直接上报到区县数据库</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Save a file to carry to the district (.canteen)</source>
        <translation>保存为文件，交区县接收（.canteen）</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>No district address is set (Settings and users → District database to push to).</source>
        <translation>尚未设置区县地址（设置与用户 → 上报区县的数据库地址）。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>File to write</source>
        <translation>保存到文件</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Your password (opens the canteen's site key)</source>
        <translation>您的密码（用于打开本食堂站点密钥）</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Push</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Push file (*.canteen)</source>
        <translation>上报文件 (*.canteen)</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Type your password: it opens the canteen's site key.</source>
        <translation>请输入您的密码：它用于打开本食堂的站点密钥。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Pushing…</source>
        <translation>正在上报…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Cancelled: nothing was sent; the district is as it was.</source>
        <translation>已取消：未发送任何内容，区县数据保持不变。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Not pushed: {0}
Nothing is lost: the next push sends it.</source>
        <translation>未上报：{0}
没有丢失任何记录：下次上报时会一并发送。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Let this computer push at each daily close</source>
        <translation>允许本机在每日日结时自动上报</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>The evening's close then pushes by itself, whoever signs it, without your password: this computer keeps a copy of the canteen's site key for it, and the audit trail records that you allowed it. Untick to withdraw.</source>
        <translation>此后每天傍晚日结时，无论由谁签名，本机都会自动上报，无需您的密码：本机为此保存一份本食堂站点密钥的副本，审计记录会记下是您允许的。取消勾选即可撤销。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Type your password above, then tick again: it lets this computer keep a copy of the canteen's site key.</source>
        <translation>请先在上方输入您的密码，再勾选：本机需凭它保存一份本食堂站点密钥的副本。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>This computer now pushes to the district at each daily close (recorded in the audit trail).</source>
        <translation>本机将在每日日结时自动上报区县（已记入审计记录）。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>This computer no longer pushes at the daily close; its copy of the site key is removed (recorded in the audit trail).</source>
        <translation>本机不再在日结时自动上报；本机的站点密钥副本已删除（已记入审计记录）。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Not changed: {0}</source>
        <translation>未更改：{0}</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Site key holder</source>
        <translation>站点密钥持有人</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>{0} does not hold the canteen's site key: its holder pushes here with their own user name and password.</source>
        <translation>{0} 未持有本食堂的站点密钥：请由密钥持有人在此输入其本人的用户名和密码上报。</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Holder's password</source>
        <translation>持有人密码</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Connected to the district; finding what it has not yet got…</source>
        <translation>已连接区县，正在查找区县尚未收到的记录…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Reading the entries to send…</source>
        <translation>正在读取待上报的记录…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>{0} entries to send; gathering their attachments…</source>
        <translation>待上报 {0} 条记录，正在收集附件…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>{0} attachments; signing with the canteen's site key…</source>
        <translation>{0} 个附件，正在用本食堂站点密钥签名…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Writing the file…</source>
        <translation>正在写入文件…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Sending to the district…</source>
        <translation>正在发送到区县…</translation>
    </message>
    <message>
        <location filename="../push_dialog.py"/>
        <source>Not pushed: {0}</source>
        <translation>未上报：{0}</translation>
    </message>
</context>
<context>
    <name>WorkerDialog</name>
    <message>
        <source>Choose the file to write.</source>
        <translation>请选择要写入的文件。</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
</TS>
