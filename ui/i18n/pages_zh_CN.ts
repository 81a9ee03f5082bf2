<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../pages/admin.py" line="247"/>
        <location filename="../pages/admin.py" line="282"/>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="247"/>
        <source>Activate</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="250"/>
        <source>Settings and users</source>
        <translation>设置与用户</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="251"/>
        <source>Only the system administrator can change these. You are signed in as %1.</source>
        <translation>只有系统管理员可以修改这些内容。您当前的身份是%1。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="253"/>
        <source>Canteen</source>
        <translation>食堂</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="254"/>
        <source>Canteen &amp;name</source>
        <translation>食堂名称(&amp;N)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="254"/>
        <source>&amp;School</source>
        <translation>学校(&amp;S)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="255"/>
        <source>Food operation &amp;licence no.</source>
        <translation>食品经营许可证编号(&amp;L)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="255"/>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="256"/>
        <source>&amp;Time zone</source>
        <translation>时区(&amp;T)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="260"/>
        <source>Save canteen details</source>
        <translation>保存食堂信息</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="261"/>
        <source>Thresholds and settings</source>
        <translation>阈值与设置</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="266"/>
        <source>Problem with %1</source>
        <translation>%1有误</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="268"/>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="269"/>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="270"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="272"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="272"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="272"/>
        <source>Post</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="272"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="272"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="273"/>
        <source>Created on</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="274"/>
        <source>Add user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="275"/>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="276"/>
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="287"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="289"/>
        <source>%1 to %2; default %3</source>
        <translation>%1 至 %2；默认 %3</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="291"/>
        <source>default %1</source>
        <translation>默认 %1</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="331"/>
        <source>The user list is shown to the administrator and the auditor.</source>
        <translation>用户列表仅向系统管理员和审核人员显示。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="339"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="339"/>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="341"/>
        <source>Must change password</source>
        <translation>须修改密码</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="377"/>
        <source>Nothing has changed.</source>
        <translation>没有任何更改。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="388"/>
        <location filename="../pages/admin.py" line="391"/>
        <location filename="../pages/admin.py" line="406"/>
        <source>Nothing was saved: %1</source>
        <translation>未保存任何内容：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../pages/admin.py" line="394"/>
        <source>%n setting(s) saved.</source>
        <translation>
            <numerusform>已保存 %n 项设置。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="409"/>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="411"/>
        <source>Canteen details saved.</source>
        <translation>食堂信息已保存。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="422"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="434"/>
        <source>User %1 added.</source>
        <translation>已添加用户 %1。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="441"/>
        <source>New password for %1</source>
        <translation>为 %1 设置新密码</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="451"/>
        <source>Password of %1 reset.</source>
        <translation>已重置 %1 的密码。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="468"/>
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="469"/>
        <source>Deactivate %1? They can no longer sign in; their records and signatures stay.</source>
        <translation>停用 %1？停用后不能再登录；其记录和签名仍予保留。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="480"/>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="481"/>
        <source>New role of %1:</source>
        <translation>%1 的新角色：</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="492"/>
        <source>User %1 changed.</source>
        <translation>用户 %1 已更改。</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../pages/audit.py" line="170"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="170"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="170"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="170"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="170"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="171"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="204"/>
        <source>v%1</source>
        <translation>第%1版</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../pages/audit.py" line="357"/>
        <location filename="../pages/audit.py" line="381"/>
        <source>Audit trail</source>
        <translation>审计追踪</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="358"/>
        <source>Record &amp;type</source>
        <translation>记录类型(&amp;T)</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="359"/>
        <source>&amp;No.</source>
        <translation>编号(&amp;N)</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="360"/>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="361"/>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="362"/>
        <source>&amp;To</source>
        <translation>至(&amp;T)</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="363"/>
        <source>Record type</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="364"/>
        <source>Record number</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="365"/>
        <source>any</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="366"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="367"/>
        <source>First day</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="368"/>
        <source>Last day</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="372"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="373"/>
        <source>Apply the filter</source>
        <translation>应用筛选</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="374"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="375"/>
        <source>Clear the filter</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="376"/>
        <location filename="../pages/audit.py" line="377"/>
        <location filename="../pages/audit.py" line="539"/>
        <source>Verify integrity</source>
        <translation>校验完整性</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="378"/>
        <source>Verification progress</source>
        <translation>校验进度</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="379"/>
        <source>Verification result</source>
        <translation>校验结果</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="380"/>
        <source>Problems found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="382"/>
        <source>Before and after</source>
        <translation>修改前后</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="383"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="383"/>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="383"/>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="393"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="396"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="459"/>
        <source>%1 entries</source>
        <translation>共 %1 条</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="467"/>
        <source>No entry selected.</source>
        <translation>未选择条目。</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="474"/>
        <source>version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="475"/>
        <source>&lt;b&gt;No. %1&lt;/b&gt; · %2 · %3 · by %4 at %5</source>
        <translation>&lt;b&gt;序号 %1&lt;/b&gt; · %2 · %3 · %4 于 %5</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="479"/>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="481"/>
        <source>hash %1 ← previous %2</source>
        <translation>哈希 %1 ← 上一条 %2</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="521"/>
        <source>Cancel verification</source>
        <translation>取消校验</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="526"/>
        <source>Verifying the audit trail and every signature…</source>
        <translation>正在校验审计追踪和全部签名…</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="544"/>
        <source>%1 entries, %2 records and %3 signatures checked in %4 s; chain head %5.</source>
        <translation>用时 %4 秒，校验了 %1 条审计记录、%2 条业务记录和 %3 个签名；链头 %5。</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="551"/>
        <source>Intact: nothing has been changed outside the program.</source>
        <translation>完整：没有在程序之外被改动。</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="554"/>
        <source>%1 problem(s) found: the records were changed outside the program.</source>
        <translation>发现 %1 个问题：记录在程序之外被改动。</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="567"/>
        <source>Verification cancelled.</source>
        <translation>校验已取消。</translation>
    </message>
</context>
<context>
    <name>FindingsModel</name>
    <message>
        <location filename="../pages/findings.py" line="87"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="87"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="87"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="87"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="87"/>
        <source>What was found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="88"/>
        <source>Source</source>
        <translation>依据</translation>
    </message>
</context>
<context>
    <name>FindingsPage</name>
    <message>
        <source>S&amp;tatus</source>
        <translation>状态(&amp;T)</translation>
    </message>
    <message>
        <source>Status of the case</source>
        <translation>整改事项状态</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>整改事项</translation>
    </message>
    <message>
        <source>All findings</source>
        <translation>全部发现</translation>
    </message>
    <message>
        <source>Cases and findings</source>
        <translation>整改事项与发现</translation>
    </message>
    <message>
        <source>Record &amp;action…</source>
        <translation>记录整改(&amp;A)…</translation>
    </message>
    <message>
        <source>Record a corrective action for the selected case</source>
        <translation>为所选事项记录整改措施</translation>
    </message>
    <message>
        <source>&amp;Verify…</source>
        <translation>复查(&amp;V)…</translation>
    </message>
    <message>
        <source>Verify the selected case&apos;s action (follow-up check)</source>
        <translation>复查所选事项的整改措施</translation>
    </message>
    <message>
        <source>Message about the case</source>
        <translation>关于整改事项的提示</translation>
    </message>
    <message>
        <source>Time to close, per rule (median hours from the first day)</source>
        <translation>各规则整改用时（自首次发现日起的小时数中位数）</translation>
    </message>
    <message>
        <source>Time to close per rule</source>
        <translation>各规则整改用时</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>全部事项</translation>
    </message>
    <message>
        <source>%1 findings in %4 cases from %2 to %3</source>
        <translation>%2 至 %3：%1 项发现，%4 个整改事项</translation>
    </message>
    <message>
        <source>%1 of %2 cases</source>
        <translation>显示 %1 / %2 个事项</translation>
    </message>
    <message>
        <source>Corrective action No. %1 recorded</source>
        <translation>已记录第 %1 号整改措施</translation>
    </message>
    <message>
        <source>Verify “%1” (%2, by %3) for %4, as %5.</source>
        <translation>以%5的身份复查“%1”（%2，%3 录入），对象：%4。</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>正在复查…</translation>
    </message>
    <message>
        <source>Verified: the case is closed</source>
        <translation>已复查：整改事项已结案</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="205"/>
        <location filename="../pages/findings.py" line="221"/>
        <source>Findings</source>
        <translation>检查发现</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="206"/>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="207"/>
        <source>&amp;To</source>
        <translation>至(&amp;T)</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="208"/>
        <source>First day</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="209"/>
        <source>Last day</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="213"/>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="214"/>
        <source>Check the range</source>
        <translation>检查所选日期范围</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="215"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="216"/>
        <source>Cancel the check</source>
        <translation>取消检查</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="217"/>
        <source>&amp;Severity</source>
        <translation>严重程度(&amp;S)</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="218"/>
        <source>&amp;Rule</source>
        <translation>规则(&amp;R)</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="219"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="220"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="222"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="223"/>
        <source>Double-click a finding or press Enter to open its record.</source>
        <translation>双击某条发现或按回车键可打开对应记录。</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="232"/>
        <source>All severities</source>
        <translation>全部严重程度</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="235"/>
        <source>All rules</source>
        <translation>全部规则</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="268"/>
        <source>The first day is after the last day.</source>
        <translation>开始日期晚于结束日期。</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="278"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="305"/>
        <source>%1 findings from %2 to %3</source>
        <translation>%2 至 %3 共 %1 条发现</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="313"/>
        <source>Check cancelled.</source>
        <translation>检查已取消。</translation>
    </message>
    <message>
        <location filename="../pages/findings.py" line="334"/>
        <source>%1 of %2 findings shown</source>
        <translation>显示 %1 条，共 %2 条</translation>
    </message>
</context>
<context>
    <name>LedgerMonthPage</name>
    <message>
        <location filename="../pages/ledger.py" line="242"/>
        <source>Cost ledger: month</source>
        <translation>伙食账月报</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="243"/>
        <source>◀ Previous month</source>
        <translation>◀ 上个月</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="244"/>
        <source>Previous month</source>
        <translation>上个月</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="245"/>
        <source>Next month ▶</source>
        <translation>下个月 ▶</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="246"/>
        <source>Next month</source>
        <translation>下个月</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="247"/>
        <location filename="../pages/ledger.py" line="248"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="249"/>
        <source>Disclosure (PDF)…</source>
        <translation>账目公示 PDF…</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="250"/>
        <source>Print the monthly disclosure</source>
        <translation>打印月度伙食账目公示</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="251"/>
        <source>The month&apos;s accounts, to post on the notice board</source>
        <translation>本月伙食账目，用于张贴公示</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="252"/>
        <source>Month shown</source>
        <translation>所显示的月份</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="253"/>
        <source>Chart of the month</source>
        <translation>本月图表</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="254"/>
        <source>Days of the month</source>
        <translation>本月各日</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="256"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="256"/>
        <source>Diners</source>
        <translation>就餐人数</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="256"/>
        <location filename="../pages/ledger.py" line="327"/>
        <location filename="../pages/ledger.py" line="381"/>
        <source>Income</source>
        <translation>收入</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="256"/>
        <source>Food cost</source>
        <translation>食材成本</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="256"/>
        <source>Other cost</source>
        <translation>其他成本</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="257"/>
        <location filename="../pages/ledger.py" line="395"/>
        <source>Surplus</source>
        <translation>结余</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="288"/>
        <source>Disclosure written: %1</source>
        <translation>账目公示已写入：%1</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="297"/>
        <source>Adding up the month…</source>
        <translation>正在汇总本月…</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="307"/>
        <source>Ledger of %1 added up</source>
        <translation>%1 伙食账已汇总</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="322"/>
        <location filename="../pages/ledger.py" line="333"/>
        <source>No ledger entries or accepted deliveries this month.</source>
        <translation>本月没有伙食账记录或验收合格的进货。</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="327"/>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="327"/>
        <source>Running surplus</source>
        <translation>累计结余</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="330"/>
        <source>Income %1, cost %2, surplus %3 over %4 days with entries.</source>
        <translation>本月 %4 天有记录：收入 %1，成本 %2，结余 %3。</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="336"/>
        <source>Other costs counted as cost: %1.</source>
        <translation>计入成本的其他支出：%1。</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="336"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="338"/>
        <source>Recorded but not counted (site setting): %1.</source>
        <translation>已记录但不计入成本（按本校设置）：%1。</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="339"/>
        <source>Food cost comes from accepted deliveries.</source>
        <translation>食材成本取自验收合格的进货记录。</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="384"/>
        <source>Income, total</source>
        <translation>收入合计</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="385"/>
        <source>Food cost by category</source>
        <translation>食材成本（按类别）</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="389"/>
        <source>No accepted deliveries</source>
        <translation>无验收合格的进货</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="390"/>
        <source>Food cost, total</source>
        <translation>食材成本合计</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="393"/>
        <source>Cost, total</source>
        <translation>成本合计</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="394"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="397"/>
        <source>Surplus rate</source>
        <translation>结余率</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="399"/>
        <source>Allowed band</source>
        <translation>允许范围</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="401"/>
        <source>Diner-days</source>
        <translation>就餐人天数</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="402"/>
        <source>Cost per diner-day</source>
        <translation>人均每天成本</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="408"/>
        <source>— (no income)</source>
        <translation>—（无收入）</translation>
    </message>
    <message>
        <location filename="../pages/ledger.py" line="411"/>
        <source>(outside the band)</source>
        <translation>（超出允许范围）</translation>
    </message>
</context>
<context>
    <name>PageCommon</name>
    <message>
        <location filename="../pages/_common.py" line="37"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="38"/>
        <source>Missing</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="39"/>
        <location filename="../pages/_common.py" line="47"/>
        <source>Violation</source>
        <translation>违规</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="40"/>
        <source>Not needed</source>
        <translation>无需</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="46"/>
        <source>Block</source>
        <translation>禁止</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="48"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="49"/>
        <source>Reminder</source>
        <translation>提醒</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="113"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="113"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="114"/>
        <source>Canteen</source>
        <translation>食堂</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="130"/>
        <source>Something went wrong: %1</source>
        <translation>出现错误：%1</translation>
    </message>
    <message>
        <location filename="../pages/_common.py" line="135"/>
        <source>Could not do that</source>
        <translation>无法完成操作</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="38"/>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="38"/>
        <source>Amended</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="38"/>
        <location filename="../pages/audit.py" line="61"/>
        <source>Voided</source>
        <translation>作废</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="39"/>
        <source>Signed</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="39"/>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="39"/>
        <source>Wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="40"/>
        <source>Account locked</source>
        <translation>账户锁定</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="40"/>
        <source>Refused</source>
        <translation>拒绝操作</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="41"/>
        <source>Attachment added</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="42"/>
        <source>Signing key issued</source>
        <translation>签发签名密钥</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="42"/>
        <source>Attachment voided</source>
        <translation>附件已作废</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="43"/>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="43"/>
        <source>Password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="44"/>
        <source>Setting changed</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="44"/>
        <source>Canteen details changed</source>
        <translation>修改食堂信息</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="45"/>
        <source>Canteen created</source>
        <translation>创建食堂</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="45"/>
        <source>User added</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="46"/>
        <source>User activated</source>
        <translation>启用用户</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="46"/>
        <source>User deactivated</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="47"/>
        <source>Role changed</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="47"/>
        <source>Exported</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="59"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="59"/>
        <source>Time of the event</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="59"/>
        <source>Entered at</source>
        <translation>录入时间</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="60"/>
        <source>Entered by (user no.)</source>
        <translation>录入人（用户编号）</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="60"/>
        <source>Reason for late entry</source>
        <translation>补录原因</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="61"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="61"/>
        <source>Reason for voiding</source>
        <translation>作废原因</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="62"/>
        <source>Canteen no.</source>
        <translation>食堂编号</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="62"/>
        <source>Record no.</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="588"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../pages/audit.py" line="588"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Cases to deal with</source>
        <translation>待处理的整改事项</translation>
    </message>
    <message>
        <source>Open cases, overdue first</source>
        <translation>未结整改事项（逾期的在前）</translation>
    </message>
    <message>
        <source>No open cases.</source>
        <translation>没有未结的整改事项。</translation>
    </message>
    <message>
        <source>%1 d old</source>
        <translation>已 %1 天</translation>
    </message>
    <message>
        <source>Open the case on the findings page</source>
        <translation>在“问题清单”页打开此整改事项</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="223"/>
        <location filename="../pages/today.py" line="228"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="224"/>
        <source>◀ Previous day</source>
        <translation>◀ 前一天</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="225"/>
        <source>Previous day</source>
        <translation>前一天</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="226"/>
        <source>Next day ▶</source>
        <translation>后一天 ▶</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="227"/>
        <source>Next day</source>
        <translation>后一天</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="229"/>
        <source>Back to today</source>
        <translation>回到今天</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="230"/>
        <location filename="../pages/today.py" line="231"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="232"/>
        <source>Daily sheet (PDF)…</source>
        <translation>每日记录表 PDF…</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="233"/>
        <source>Print the daily sheet</source>
        <translation>打印每日记录表</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="234"/>
        <source>The day&apos;s records on one sheet, with signatures and the audit chain head</source>
        <translation>当天全部记录汇于一张表，附签名和审计链头</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="235"/>
        <source>Day shown</source>
        <translation>所显示的日期</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="237"/>
        <location filename="../pages/today.py" line="238"/>
        <source>Reminders</source>
        <translation>提醒</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="239"/>
        <source>Summary of the day</source>
        <translation>当日概况</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="278"/>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="289"/>
        <source>%1: %2 missing, %3 violations</source>
        <translation>%1：%2 项未完成，%3 项违规</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="331"/>
        <source>No meals are served on %1 (weekend or holiday), so nothing is due. Reminders below still apply.</source>
        <translation>%1不供餐（周末或假日），今天没有必做事项。下方提醒仍然有效。</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="337"/>
        <source>Go to the last service day, %1</source>
        <translation>转到上一个供餐日：%1</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="338"/>
        <source>Go to the last service day</source>
        <translation>转到上一个供餐日</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="353"/>
        <source>Daily sheet written: %1</source>
        <translation>每日记录表已写入：%1</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="398"/>
        <source>Nothing to remind you of.</source>
        <translation>暂无提醒。</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="406"/>
        <source>Open the record (%1)</source>
        <translation>打开记录（%1）</translation>
    </message>
    <message>
        <location filename="../pages/today.py" line="440"/>
        <source>Show all of this day…</source>
        <translation>显示当天全部…</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../pages/admin.py" line="50"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="51"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="52"/>
        <source>Post</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="53"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="56"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="57"/>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="61"/>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="62"/>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="63"/>
        <source>&amp;Post</source>
        <translation>职务(&amp;P)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="64"/>
        <source>&amp;Role</source>
        <translation>角色(&amp;R)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="65"/>
        <source>&amp;Temporary password</source>
        <translation>临时密码(&amp;T)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="66"/>
        <source>Re&amp;peat password</source>
        <translation>再次输入(&amp;P)</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="67"/>
        <source>The person must choose their own password when they first sign in.</source>
        <translation>该用户首次登录时必须设置自己的密码。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="70"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="84"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../pages/admin.py" line="91"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <source>The selected case</source>
        <translation>所选整改事项</translation>
    </message>
    <message>
        <source>Found on</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <source>Days the case was found</source>
        <translation>发现问题的日期</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <source>Corrective actions and their follow-up check</source>
        <translation>整改措施及复查</translation>
    </message>
    <message>
        <source>Corrective actions</source>
        <translation>整改措施</translation>
    </message>
    <message>
        <source>Acted at</source>
        <translation>整改时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>整改措施</translation>
    </message>
    <message>
        <source>Responsible</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Verified by</source>
        <translation>复查人</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>整改说明</translation>
    </message>
    <message>
        <source>Select a case to see its days, its actions and the follow-up check.</source>
        <translation>选择一个整改事项，查看其发现日期、整改措施和复查情况。</translation>
    </message>
    <message>
        <source>not yet verified</source>
        <translation>尚未复查</translation>
    </message>
    <message>
        <source>due by the end of {0}</source>
        <translation>整改期限 {0} 止</translation>
    </message>
    <message>
        <source>Reopened: found again after the check of {0}.</source>
        <translation>已重新打开：{0} 复查后再次发现该问题。</translation>
    </message>
    <message>
        <source>Closed automatically: the goods were rejected at delivery No. {0}.</source>
        <translation>已自动结案：第 {0} 号进货已拒收。</translation>
    </message>
</context>
<context>
    <name>CasesModel</name>
    <message>
        <source>{0} (1 day)</source>
        <translation>{0}（1 天）</translation>
    </message>
    <message>
        <source>{0} – {1} ({2} days)</source>
        <translation>{0} – {1}（{2} 天）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>About</source>
        <translation>整改对象</translation>
    </message>
    <message>
        <source>Found on</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>已持续</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>整改措施</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已复查</translation>
    </message>
    <message>
        <source>{0} d</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <source>Goods rejected (delivery No. {0})</source>
        <translation>已拒收（第 {0} 号进货）</translation>
    </message>
    <message>
        <source>Reopened after {0}'s check</source>
        <translation>{0}复查后再次发现</translation>
    </message>
    <message>
        <source>Closed by the rejection</source>
        <translation>因拒收结案</translation>
    </message>
</context>
<context>
    <name>TimingTable</name>
    <message>
        <source>Time to close per rule</source>
        <translation>各规则整改用时</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>整改事项</translation>
    </message>
    <message>
        <source>Acted</source>
        <translation>已整改</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已复查</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未整改</translation>
    </message>
    <message>
        <source>Hours to act</source>
        <translation>整改用时（小时）</translation>
    </message>
    <message>
        <source>Hours to verify</source>
        <translation>复查用时（小时）</translation>
    </message>
    <message>
        <source>{0} ({1} by rejection)</source>
        <translation>{0}（其中拒收 {1}）</translation>
    </message>
</context>
<context>
    <name>DistrictPage</name>
    <message>
        <source>District: every canteen</source>
        <translation>区县总览：全部食堂</translation>
    </message>
    <message>
        <source>District views</source>
        <translation>区县视图</translation>
    </message>
    <message>
        <source>Duties of the day</source>
        <translation>当日职责</translation>
    </message>
    <message>
        <source>Month heat map</source>
        <translation>月度热力图</translation>
    </message>
    <message>
        <source>Findings across canteens</source>
        <translation>各食堂问题</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Open canteen</source>
        <translation>打开食堂</translation>
    </message>
    <message>
        <source>Open the chosen canteen's pages</source>
        <translation>打开所选食堂的页面</translation>
    </message>
    <message>
        <source>District summary PDF…</source>
        <translation>区县汇总 PDF…</translation>
    </message>
    <message>
        <source>Export the district summary</source>
        <translation>导出区县汇总</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Every canteen's duties of the day</source>
        <translation>各食堂当日职责</translation>
    </message>
    <message>
        <source>Month heat map: the worst finding per canteen and day</source>
        <translation>月度热力图：每个食堂每天最严重的问题</translation>
    </message>
    <message>
        <source>blank: no finding</source>
        <translation>空白：无问题</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>Canteen</source>
        <translation>食堂</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>全部严重程度</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>All rules</source>
        <translation>全部规则</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Findings shown</source>
        <translation>显示的问题</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>待整改</translation>
    </message>
    <message>
        <source>Overdue cases</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Being read with the month</source>
        <translation>正在随本月数据读取</translation>
    </message>
    <message>
        <source>All canteens</source>
        <translation>全部食堂</translation>
    </message>
    <message>
        <source>%1 findings in %2 canteens</source>
        <translation>%2 个食堂共 %1 个问题</translation>
    </message>
    <message>
        <source>Choose a canteen in the table first.</source>
        <translation>请先在表格中选择食堂。</translation>
    </message>
    <message>
        <source>Only canteens stale or flagged</source>
        <translation>只看超时或被标记的食堂</translation>
    </message>
    <message>
        <source>Show only the canteens whose pushes are stale or flagged</source>
        <translation>只显示上报超时或历史不一致的食堂</translation>
    </message>
    <message>
        <source>Pushes</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Last push</source>
        <translation>最近上报</translation>
    </message>
    <message>
        <source>History check</source>
        <translation>历史核对</translation>
    </message>
    <message>
        <source>%1 canteens push to the district: %2 stale, %3 flagged.</source>
        <translation>%1 家食堂向区县上报：%2 家超时未上报，%3 家历史不一致被标记。</translation>
    </message>
    <message>
        <source>Written here</source>
        <translation>区县直接录入</translation>
    </message>
    <message>
        <source>This canteen's records are entered in the district database: it does not push.</source>
        <translation>该食堂的记录直接录入区县数据库，无需上报。</translation>
    </message>
    <message>
        <source>never pushed</source>
        <translation>从未上报</translation>
    </message>
    <message>
        <source>Last push %1, up to seq %2.</source>
        <translation>最近上报 %1，已收到序号 %2。</translation>
    </message>
    <message>
        <source>Enrolled, nothing received yet.</source>
        <translation>已登记，尚未收到任何上报。</translation>
    </message>
    <message>
        <source>Stale after %1 hours without a push.</source>
        <translation>超过 %1 小时未上报即为超时。</translation>
    </message>
    <message>
        <source>Stale</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Consistent</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>Every push received continued the history the district holds.</source>
        <translation>收到的每次上报都与区县已有的历史相衔接。</translation>
    </message>
    <message>
        <source>A push was refused on %1: its history differs from what the district received at seq %2. Nothing received was changed.</source>
        <translation>%1 拒收了一次上报：其历史与区县在序号 %2 处收到的不一致。已收到的数据未被改动。</translation>
    </message>
    <message>
        <source>History differs · seq %1 · %2</source>
        <translation>历史不一致 · 序号 %1 · %2</translation>
    </message>
</context>
<context>
    <name>DistrictFindingsModel</name>
    <message>
        <source>Canteen</source>
        <translation>食堂</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>发现的问题</translation>
    </message>
</context>
</TS>
