<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Canvas</name>
    <message>
        <source>Network canvas</source>
        <translation>网络画布</translation>
    </message>
    <message>
        <source>The drawing. Arrow keys and Tab move between layers, W wires the selected layer to another, Enter connects, Escape cancels.</source>
        <translation>绘图区。方向键和 Tab 在层之间移动，W 从选中的层拉出连线，Enter 连接，Esc 取消。</translation>
    </message>
    <message>
        <source>{type} &apos;{name}&apos; selected</source>
        <translation>已选中 {type} “{name}”</translation>
    </message>
    <message>
        <source>{count} layers selected</source>
        <translation>已选中 {count} 个层</translation>
    </message>
    <message>
        <source>Select one block instance to ungroup</source>
        <translation>请选中一个块实例再取消编组</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>Group into Block</source>
        <translation>编组为块</translation>
    </message>
    <message>
        <source>Ungroup</source>
        <translation>取消编组</translation>
    </message>
</context>
<context>
    <name>Explain</name>
    <message>
        <source>Why this shape?</source>
        <translation>为什么是这个形状?</translation>
    </message>
    <message>
        <source>Cost for one sample</source>
        <translation>单个样本的开销</translation>
    </message>
    <message>
        <source>{macs} MACs · output {activations} · parameters {weights}</source>
        <translation>{macs} 次乘加 · 输出 {activations} · 参数 {weights}</translation>
    </message>
    <message>
        <source>{macs} MACs · {activations} per sample</source>
        <translation>{macs} 次乘加 · 每样本 {activations}</translation>
    </message>
    <message>
        <source>Training memory for a batch of {batch} with {optimizer}: about {size}</source>
        <translation>批大小 {batch}、优化器 {optimizer} 的训练内存:约 {size}</translation>
    </message>
</context>
<context>
    <name>Fixes</name>
    <message>
        <source>No fix to offer</source>
        <translation>没有可用的修复</translation>
    </message>
    <message>
        <source>Fixes</source>
        <translation>修复</translation>
    </message>
</context>
<context>
    <name>Init</name>
    <message>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
</context>
<context>
    <name>LivePlots</name>
    <message>
        <source>run {number}</source>
        <translation>第 {number} 次运行</translation>
    </message>
    <message>
        <source>train (smoothed)</source>
        <translation>训练（平滑）</translation>
    </message>
    <message>
        <source>train per epoch</source>
        <translation>每轮训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Language: {name}. Menus and panels change when Netwright starts again.</source>
        <translation>语言：{name}。菜单和面板将在下次启动 Netwright 时切换。</translation>
    </message>
</context>
<context>
    <name>Menu</name>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Export PyTorch &amp;Code…</source>
        <translation>导出 PyTorch 代码(&amp;C)…</translation>
    </message>
    <message>
        <source>Export &amp;Training Script…</source>
        <translation>导出训练脚本(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>创建副本(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Group into Block</source>
        <translation>编组为块(&amp;G)</translation>
    </message>
    <message>
        <source>U&amp;ngroup</source>
        <translation>取消编组(&amp;N)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Find Layer…</source>
        <translation>查找层(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Fit to Window	F</source>
        <translation>适应窗口(&amp;F)	F</translation>
    </message>
    <message>
        <source>Auto &amp;Layout</source>
        <translation>自动布局(&amp;L)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Training Panel</source>
        <translation>训练面板(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Start Training</source>
        <translation>开始训练(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About Netwright</source>
        <translation>关于 Netwright(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation>示例(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
    <message>
        <source>Clear Menu</source>
        <translation>清空菜单</translation>
    </message>
    <message>
        <source>No examples found</source>
        <translation>未找到示例</translation>
    </message>
    <message>
        <source>Show &amp;Fixes</source>
        <translation>显示修复(&amp;F)</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制一份</translation>
    </message>
    <message>
        <source>Duplicate {count} layers</source>
        <translation>复制一份 {count} 个层</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>剪切</translation>
    </message>
    <message>
        <source>Cut {count} layers</source>
        <translation>剪切 {count} 个层</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy {count} layers</source>
        <translation>复制 {count} 个层</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete {count} layers</source>
        <translation>删除 {count} 个层</translation>
    </message>
    <message>
        <source>Insert a layer here…</source>
        <translation>在此插入一层…</translation>
    </message>
    <message>
        <source>Delete wire</source>
        <translation>删除连线</translation>
    </message>
    <message>
        <source>Add a layer here…</source>
        <translation>在此添加一层…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>自动布局</translation>
    </message>
    <message>
        <source>Fit to view</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Snap to grid</source>
        <translation>对齐网格</translation>
    </message>
</context>
<context>
    <name>PaletteWidget</name>
    <message>
        <source>Search layers</source>
        <translation>搜索层</translation>
    </message>
    <message>
        <source>Type part of a layer&apos;s name; Enter adds the first match after the selected layer.</source>
        <translation>输入层名称的一部分；Enter 把第一个匹配项加在选中的层之后。</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>块</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Fixes (Ctrl+.)</source>
        <translation>修复 (Ctrl+.)</translation>
    </message>
    <message>
        <source>Training failed: {message}</source>
        <translation>训练失败：{message}</translation>
    </message>
</context>
</TS>
