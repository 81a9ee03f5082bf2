<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttachmentsPanel</name>
    <message>
        <location filename="../attachments.py" line="31" />
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="35" />
        <source>Attached files</source>
        <translation>已附文件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="41" />
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="43" />
        <source>Add file</source>
        <translation>添加文件</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="45" />
        <source>Drop scans or photos here; double-click to open.</source>
        <translation>可将扫描件或照片拖放到此处；双击打开。</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="79" />
        <source>Attach scans or photos</source>
        <translation>添加扫描件或照片</translation>
    </message>
    <message>
        <location filename="../attachments.py" line="80" />
        <source>Images and PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)</source>
        <translation>图片和 PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../login.py" line="107" />
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="108" />
        <location filename="../login.py" line="115" />
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="109" />
        <location filename="../login.py" line="116" />
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="122" />
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../forms/dialogs.py" line="25" />
        <source>Something went wrong and nothing was saved: {0}</source>
        <translation>出现问题，未保存任何内容：{0}</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="30" />
        <source>This record cannot be saved in this state:</source>
        <translation>此记录在当前状态下不能保存：</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="37" />
        <source>Rule: {0} — source: {1}</source>
        <translation>规则：{0} — 依据：{1}</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="43" />
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../app.py" line="64" />
        <source>First start</source>
        <translation>首次启动</translation>
    </message>
    <message>
        <location filename="../app.py" line="65" />
        <source>Welcome — Canteen food-safety log</source>
        <translation>欢迎使用 — 食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../app.py" line="66" />
        <source>There is no canteen database yet at:
{0}</source>
        <translation>此位置还没有食堂台账数据库：
{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="68" />
        <location filename="../app.py" line="70" />
        <source>Create a new canteen</source>
        <translation>新建食堂</translation>
    </message>
    <message>
        <location filename="../app.py" line="71" />
        <source>Open the demo (a school term of sample records)</source>
        <translation>打开演示（一个学期的示例记录）</translation>
    </message>
    <message>
        <location filename="../app.py" line="73" />
        <source>Open the demo</source>
        <translation>打开演示</translation>
    </message>
    <message>
        <location filename="../app.py" line="84" />
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../app.py" line="87" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../app.py" line="98" />
        <location filename="../app.py" line="105" />
        <source>Canteen name</source>
        <translation>食堂名称</translation>
    </message>
    <message>
        <location filename="../app.py" line="99" />
        <location filename="../app.py" line="106" />
        <source>Administrator's user name</source>
        <translation>系统管理员用户名</translation>
    </message>
    <message>
        <location filename="../app.py" line="101" />
        <location filename="../app.py" line="107" />
        <source>Administrator's password</source>
        <translation>系统管理员密码</translation>
    </message>
    <message>
        <location filename="../app.py" line="103" />
        <location filename="../app.py" line="108" />
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../app.py" line="109" />
        <source>The administrator adds the other users (manager, doctor, director…) after signing in.</source>
        <translation>系统管理员登录后再添加其他用户（食堂管理员、校医、总务主任等）。</translation>
    </message>
    <message>
        <location filename="../app.py" line="119" />
        <source>School days of demo data</source>
        <translation>演示数据的上课天数</translation>
    </message>
    <message>
        <location filename="../app.py" line="124" />
        <source>Demo progress</source>
        <translation>演示数据生成进度</translation>
    </message>
    <message>
        <location filename="../app.py" line="126" />
        <source>Cancel building</source>
        <translation>取消生成</translation>
    </message>
    <message>
        <location filename="../app.py" line="130" />
        <source>School days</source>
        <translation>上课天数</translation>
    </message>
    <message>
        <location filename="../app.py" line="133" />
        <source>Demo users: admin, manager, doctor, director, leader, auditor — password “demo”.</source>
        <translation>演示用户：admin、manager、doctor、director、leader、auditor — 密码均为“demo”。</translation>
    </message>
    <message>
        <location filename="../app.py" line="158" />
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../app.py" line="195" />
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../app.py" line="210" />
        <source>The demo was not built.</source>
        <translation>演示数据未生成。</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../attachments.py" line="137" />
        <source>Attachment viewer</source>
        <translation>附件查看</translation>
    </message>
</context>
<context>
    <name>ListEditor</name>
    <message>
        <location filename="../forms/editors.py" line="114" />
        <source>separate with commas</source>
        <translation>用逗号或顿号分隔</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <location filename="../login.py" line="142" />
        <source>Screen locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <location filename="../login.py" line="143" />
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../login.py" line="145" />
        <source>Locked after a time without use. {0}, enter your password to go on.</source>
        <translation>因长时间未操作已锁定。{0}，请输入密码继续。</translation>
    </message>
    <message>
        <location filename="../login.py" line="148" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="151" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login.py" line="41" />
        <location filename="../login.py" line="52" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../login.py" line="42" />
        <source>Sign in — Canteen food-safety log</source>
        <translation>登录 — 食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../login.py" line="43" />
        <source>Canteen food-safety log</source>
        <translation>食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../login.py" line="48" />
        <location filename="../login.py" line="59" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../login.py" line="49" />
        <location filename="../login.py" line="60" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../login.py" line="55" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../login.py" line="75" />
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../login.py" line="94" />
        <source>The administrator asks you to choose a new password first.</source>
        <translation>系统管理员要求您先设置新密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="85" />
        <source>Canteen food-safety log</source>
        <translation>食堂食品安全台账</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="99" />
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="129" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="131" />
        <source>Findings</source>
        <translation>问题清单</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="143" />
        <source>Month view and chart</source>
        <translation>月度汇总与图表</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="145" />
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="147" />
        <source>Settings and users</source>
        <translation>设置与用户</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="153" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="154" />
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="155" />
        <source>&amp;Lock screen</source>
        <translation>锁定屏幕(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="156" />
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="158" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="159" />
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="163" />
        <source>&amp;Navigation list</source>
        <translation>导航列表(&amp;N)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="164" />
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="165" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169" />
        <source>Automatic (system language)</source>
        <translation>自动（跟随系统）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="196" />
        <source>Signed-in user</source>
        <translation>当前登录用户</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="271" />
        <source>Refreshed</source>
        <translation>已刷新</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="291" />
        <source>Language changed</source>
        <translation>语言已切换</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="309" />
        <source>Unlocked</source>
        <translation>已解锁</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="316" />
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="317" />
        <source>Canteen food-safety log
Records of a school canteen's deliveries, tests, samples, staff, hygiene, meals and costs, with a hash-chained audit trail and electronic signatures.</source>
        <translation>食堂食品安全台账
记录学校食堂的进货查验、检测、留样、人员、卫生、用餐和伙食成本，带有哈希链审计日志和电子签名。</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../forms/dialogs.py" line="59" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="74" />
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
</context>
<context>
    <name>RecordForm</name>
    <message>
        <location filename="../forms/record_form.py" line="64" />
        <source>New record: {0}</source>
        <translation>新增记录：{0}</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="65" />
        <source>Amend record: {0} No. {1}</source>
        <translation>修改记录：{0} 第 {1} 号</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="94" />
        <source>Reason for the amendment</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="98" />
        <source>Reason for the amendment *</source>
        <translation>修改原因 *</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="113" />
        <source>Reason for late entry</source>
        <translation>补录原因</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="114" />
        <source>Reason for late entry *</source>
        <translation>补录原因 *</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="144" />
        <location filename="../forms/record_form.py" line="146" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="148" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="153" />
        <source>Enter saves · Esc cancels · * required</source>
        <translation>回车保存 · Esc 取消 · * 为必填</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="244" />
        <source>Test card: POSITIVE — two retests are needed before the batch is used.</source>
        <translation>速测卡：阳性 — 须两次复检均为阴性方可使用该批次。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="245" />
        <source>Test card: negative</source>
        <translation>速测卡：阴性</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="249" />
        <source>Inhibition %: enter ΔA0 and ΔAt</source>
        <translation>抑制率：请输入 ΔA0 和 ΔAt</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="253" />
        <source>Inhibition {0} % — POSITIVE: two retests are needed before the batch is used.</source>
        <translation>抑制率 {0} % — 阳性：须两次复检均为阴性方可使用该批次。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="254" />
        <source>Inhibition {0} % — negative</source>
        <translation>抑制率 {0} % — 阴性</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="257" />
        <source>ΔA0 {0} is outside the expected {1}–{2}: check the enzyme and reagents.</source>
        <translation>ΔA0 {0} 超出期望范围 {1}–{2}：请检查酶和试剂。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="267" />
        <source>Keep until {0}</source>
        <translation>留存至 {0}</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="270" />
        <source>Under {0} g: it will be saved and reported as a violation (SMP-WEIGHT).</source>
        <translation>不足 {0} 克：可以保存，但将作为违规报告（SMP-WEIGHT）。</translation>
    </message>
    <message>
        <location filename="../forms/record_form.py" line="289" />
        <source>Say why the record is changed.</source>
        <translation>请说明修改原因。</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <location filename="../pages/records.py" line="75" />
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="76" />
        <source>Search (Ctrl+F): name, supplier, person, number…</source>
        <translation>搜索（Ctrl+F）：名称、供货者、人员、编号…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="80" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="82" />
        <source>Limit to dates</source>
        <translation>按日期筛选</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="89" />
        <source>Number of records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="97" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="101" />
        <source>&amp;Add</source>
        <translation>新增(&amp;A)</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="101" />
        <source>Add a record (Ctrl+N)</source>
        <translation>新增记录（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="102" />
        <source>A&amp;mend…</source>
        <translation>修改(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="102" />
        <source>Amend the selected record</source>
        <translation>修改所选记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="103" />
        <source>&amp;Void…</source>
        <translation>作废(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="103" />
        <source>Void the selected record</source>
        <translation>作废所选记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="104" />
        <source>&amp;Sign…</source>
        <translation>签名(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="104" />
        <source>Sign the selected record</source>
        <translation>签署所选记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="118" />
        <location filename="../pages/records.py" line="120" />
        <source>Record its pesticide test</source>
        <translation>录入农残检测</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="122" />
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="133" />
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="156" />
        <source>History of the record</source>
        <translation>记录的修改历史</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="157" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="157" />
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="157" />
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="157" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="158" />
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="162" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="165" />
        <location filename="../pages/records.py" line="363" />
        <source>No record selected</source>
        <translation>未选择记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="167" />
        <source>Signature state</source>
        <translation>签名状态</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="171" />
        <location filename="../pages/records.py" line="179" />
        <source>Signatures</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="172" />
        <source>Signed by</source>
        <translation>签名人</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="172" />
        <source>Date and time</source>
        <translation>日期时间</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="173" />
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="173" />
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="184" />
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="245" />
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="254" />
        <source>{0} of {1} records</source>
        <translation>{0} / {1} 条记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="256" />
        <source>{0} records</source>
        <translation>{0} 条记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="356" />
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="379" />
        <source>Not signed</source>
        <translation>未签名</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="380" />
        <source>Signed — locked</source>
        <translation>已签名 — 已锁定</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="381" />
        <source>Changed after signing — needs signing again</source>
        <translation>签名后已修改 — 需要重新签名</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="400" />
        <source>This record is signed. Amending it makes a new version that needs signing again.</source>
        <translation>此记录已签名。修改将产生新版本，需要重新签名。</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="415" />
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="415" />
        <source>Amended</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="416" />
        <source>{0}: {1} No. {2}</source>
        <translation>{0}：{1} 第 {2} 号</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="427" />
        <source>{0} was accepted: screen it for pesticide residues now?</source>
        <translation>{0}已验收：现在进行农药残留快检吗？</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="437" />
        <source>Saved: pesticide test No. {0} — {1}</source>
        <translation>已保存：农残检测第 {0} 号 — {1}</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="445" />
        <source>Void record</source>
        <translation>作废记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="446" />
        <source>Why is record No. {0} void? It stays readable.</source>
        <translation>第 {0} 号记录为何作废？作废后仍可查阅。</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="454" />
        <source>Voided record No. {0}</source>
        <translation>已作废第 {0} 号记录</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="462" />
        <source>Sign {0} No. {1}, version {2}, as {3}.</source>
        <translation>以 {3} 的身份签署{0}第 {1} 号（版本 {2}）。</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="468" />
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
    <message>
        <location filename="../pages/records.py" line="474" />
        <source>Signed record No. {0}</source>
        <translation>已签署第 {0} 号记录</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../forms/dialogs.py" line="91" />
        <source>Sign record</source>
        <translation>签署记录</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="94" />
        <source>Meaning of the signature</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="99" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="102" />
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="109" />
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="110" />
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <location filename="../forms/dialogs.py" line="111" />
        <source>A signed record is locked: a later change needs signing again.</source>
        <translation>签名后记录即锁定：之后的修改需要重新签名。</translation>
    </message>
</context>
</TS>