<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Something went wrong</source>
        <translation>出了点问题</translation>
    </message>
    <message>
        <source>Netwright hit an unexpected error and carried on: {message}

Your drawing is unchanged and autosaved; saving now is a good idea.</source>
        <translation>Netwright 遇到了一个意外错误，但仍在继续运行：{message}

你的图没有改变，并且已自动保存；现在保存一下是个好主意。</translation>
    </message>
</context>
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
    <message>
        <source>Auto-layout</source>
        <translation>自动布局</translation>
    </message>
    <message>
        <source>Cannot paste: {error}</source>
        <translation>无法粘贴：{error}</translation>
    </message>
    <message>
        <source>Insert &apos;{node_id}&apos; on wire</source>
        <translation>把 &apos;{node_id}&apos; 插入连线</translation>
    </message>
    <message>
        <source>Reconnect wire</source>
        <translation>重新连接连线</translation>
    </message>
    <message>
        <source>Add {layer_type}</source>
        <translation>添加 {layer_type}</translation>
    </message>
    <message>
        <source>Kept, not called: the imported model owns this module (its weights are in the state_dict) but its forward never calls it</source>
        <translation>保留但不调用：导入的模型拥有这个模块（它的权重在 state_dict 中），但它的 forward 从不调用它</translation>
    </message>
    <message>
        <source>{count} params</source>
        <translation>{count} 个参数</translation>
    </message>
    <message>
        <source>shares {node}</source>
        <translation>共享 {node}</translation>
    </message>
    <message>
        <source>output {shape}</source>
        <translation>输出 {shape}</translation>
    </message>
    <message>
        <source>The last run failed here: {message}</source>
        <translation>上次运行在此失败：{message}</translation>
    </message>
    <message>
        <source>Add a layer that fits…</source>
        <translation>添加一个形状匹配的层…</translation>
    </message>
    <message>
        <source>Block {block}, opened from &apos;{name}&apos;</source>
        <translation>块 {block}，从 &apos;{name}&apos; 打开</translation>
    </message>
    <message>
        <source>shapes of &apos;{name}&apos;, the only instance of this block</source>
        <translation>&apos;{name}&apos; 的形状，这是该块唯一的实例</translation>
    </message>
    <message>
        <source>shapes of &apos;{name}&apos; · edits apply to all {count} instances</source>
        <translation>&apos;{name}&apos; 的形状 · 修改作用于全部 {count} 个实例</translation>
    </message>
</context>
<context>
    <name>CodeEditor</name>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>One nn.Module class. torch, nn, F and math are there without imports; forward&apos;s tensors are the node&apos;s inputs. Ctrl+Return applies.</source>
        <translation>一个 nn.Module 类。torch、nn、F 和 math 无需导入即可使用；forward 的张量参数就是节点的输入。按 Ctrl+Return 应用。</translation>
    </message>
    <message>
        <source>Edit Code…</source>
        <translation>编辑代码…</translation>
    </message>
    <message>
        <source>Code: {name}</source>
        <translation>代码：{name}</translation>
    </message>
</context>
<context>
    <name>CodeView</name>
    <message>
        <source>The drawing is empty: add an Input layer from the palette to begin.</source>
        <translation>图是空的：先从层面板中添加一个 Input 层。</translation>
    </message>
    <message>
        <source>No code yet: the drawing has {count} error(s).</source>
        <translation>还没有代码：图中有 {count} 个错误。</translation>
    </message>
    <message>
        <source>Fix them (see the Problems tab) and the module appears here.</source>
        <translation>修正它们（见“问题”标签页）后，模块代码就会显示在这里。</translation>
    </message>
    <message>
        <source>... and {count} more</source>
        <translation>……还有 {count} 个</translation>
    </message>
    <message>
        <source>The code could not be generated: {exc}</source>
        <translation>无法生成代码：{exc}</translation>
    </message>
    <message>
        <source>Code generation failed unexpectedly ({exc!r}).</source>
        <translation>代码生成意外失败（{exc!r}）。</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>Add {type} &apos;{name}&apos;</source>
        <translation>添加 {type} &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>Delete {type} &apos;{name}&apos;</source>
        <translation>删除 {type} &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>Connect &apos;{source}&apos; to &apos;{target}&apos;</source>
        <translation>连接 &apos;{source}&apos; 到 &apos;{target}&apos;</translation>
    </message>
    <message>
        <source>Disconnect &apos;{source}&apos; from &apos;{target}&apos;</source>
        <translation>断开 &apos;{source}&apos; 与 &apos;{target}&apos; 的连线</translation>
    </message>
    <message>
        <source>Set {name} of &apos;{node}&apos;</source>
        <translation>设置 &apos;{node}&apos; 的 {name}</translation>
    </message>
    <message>
        <source>Rename &apos;{name}&apos;</source>
        <translation>重命名 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>Move &apos;{name}&apos;</source>
        <translation>移动 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Rename project</source>
        <translation>重命名项目</translation>
    </message>
    <message>
        <source>Change training settings</source>
        <translation>修改训练设置</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to “{name}” first?</source>
        <translation>先保存对“{name}”的更改吗？</translation>
    </message>
    <message>
        <source>Your changes are lost if you don&apos;t save them.</source>
        <translation>如果不保存，你的更改将会丢失。</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>恢复未保存的工作吗？</translation>
    </message>
    <message>
        <source>Netwright did not close normally last time.

{description}

Restore these unsaved changes?</source>
        <translation>Netwright 上次没有正常关闭。

{description}

要恢复这些未保存的更改吗？</translation>
    </message>
    <message>
        <source>Run this project&apos;s code?</source>
        <translation>运行此项目的代码？</translation>
    </message>
    <message>
        <source>“{name}” holds {count} Code node(s): Python written by whoever made the file. Netwright runs it to check their shapes, and to train.

Trust it only if you trust where the file came from. Until then those nodes stay unchecked and nothing in them runs.

Trust this project&apos;s code?</source>
        <translation>“{name}” 含有 {count} 个 Code 节点：由文件作者编写的 Python 代码。Netwright 会运行它来检查形状并进行训练。

只有在你信任该文件来源时才信任它。在此之前，这些节点保持未检查状态，其中的任何代码都不会运行。

信任此项目的代码？</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
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
    <message>
        <source>Add {layer_type} after &apos;{name}&apos;</source>
        <translation>在 &apos;{name}&apos; 之后添加 {layer_type}</translation>
    </message>
    <message>
        <source>Add {name} from My blocks</source>
        <translation>从“我的块”添加 {name}</translation>
    </message>
    <message>
        <source>Copy block {name}</source>
        <translation>复制块 {name}</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Insert {layer_type}</source>
        <translation>插入 {layer_type}</translation>
    </message>
    <message>
        <source>Paste {count} node(s)</source>
        <translation>粘贴 {count} 个节点</translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>The most confidently misclassified validation samples (true → predicted, confidence):</source>
        <translation>置信度最高的误分类验证样本（真实 → 预测，置信度）：</translation>
    </message>
    <message>
        <source>Residual (prediction − truth) against truth</source>
        <translation>残差（预测 − 真实）与真实值</translation>
    </message>
    <message>
        <source>truth</source>
        <translation>真实值</translation>
    </message>
    <message>
        <source>residual</source>
        <translation>残差</translation>
    </message>
    <message>
        <source> · top-{k} {accuracy:.1%}</source>
        <translation> · top-{k} {accuracy:.1%}</translation>
    </message>
    <message>
        <source>Evaluation on {count} validation samples: accuracy {accuracy:.1%}</source>
        <translation>在 {count} 个验证样本上评估：准确率 {accuracy:.1%}</translation>
    </message>
    <message>
        <source>Evaluation on {count} validation samples: RMSE {rmse:.4g} · MAE {mae:.4g} · R² {r2} · residuals mean {mean:.3g}, std {std:.3g}, largest {largest:.3g}</source>
        <translation>在 {count} 个验证样本上评估：RMSE {rmse:.4g} · MAE {mae:.4g} · R² {r2} · 残差均值 {mean:.3g}，标准差 {std:.3g}，最大 {largest:.3g}</translation>
    </message>
    <message>
        <source>sample {index}</source>
        <translation>样本 {index}</translation>
    </message>
    <message>
        <source>{true} → {predicted}
{confidence:.0%}</source>
        <translation>{true} → {predicted}
{confidence:.0%}</translation>
    </message>
    <message>
        <source>validation sample {index}: true {true}, predicted {predicted} with confidence {confidence:.1%}</source>
        <translation>验证样本 {index}：真实 {true}，预测 {predicted}，置信度 {confidence:.1%}</translation>
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
    <name>Files</name>
    <message>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Cannot export code</source>
        <translation>无法导出代码</translation>
    </message>
    <message>
        <source>Export PyTorch code</source>
        <translation>导出 PyTorch 代码</translation>
    </message>
    <message>
        <source>Cannot export training script</source>
        <translation>无法导出训练脚本</translation>
    </message>
    <message>
        <source>Training-script generation is not part of this build yet.</source>
        <translation>这个版本还不能生成训练脚本。</translation>
    </message>
    <message>
        <source>Export training script</source>
        <translation>导出训练脚本</translation>
    </message>
    <message>
        <source>Export cluster job</source>
        <translation>导出集群作业</translation>
    </message>
    <message>
        <source>Cannot export cluster job</source>
        <translation>无法导出集群作业</translation>
    </message>
    <message>
        <source>Nodes:</source>
        <translation>节点数：</translation>
    </message>
    <message>
        <source>Processes (GPUs) per node:</source>
        <translation>每个节点的进程数（GPU 数）：</translation>
    </message>
    <message>
        <source>Export ONNX</source>
        <translation>导出 ONNX</translation>
    </message>
    <message>
        <source>Export TorchScript</source>
        <translation>导出 TorchScript</translation>
    </message>
    <message>
        <source>Export torch.export program</source>
        <translation>导出 torch.export 程序</translation>
    </message>
    <message>
        <source>Cannot export the model</source>
        <translation>无法导出模型</translation>
    </message>
    <message>
        <source>Code generation is not part of this build.</source>
        <translation>这个版本不能生成代码。</translation>
    </message>
    <message>
        <source>The drawing has {count} error(s); fix them first. First: {message}</source>
        <translation>图中有 {count} 个错误；请先修正它们。第一个错误：{message}</translation>
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
    <name>GradientFlow</name>
    <message>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>update / weight ratio</source>
        <translation>更新量 / 权重比</translation>
    </message>
    <message>
        <source>activation mean</source>
        <translation>激活均值</translation>
    </message>
    <message>
        <source>activation std</source>
        <translation>激活标准差</translation>
    </message>
    <message>
        <source>dead ReLU fraction</source>
        <translation>死亡 ReLU 比例</translation>
    </message>
    <message>
        <source>vanishing gradient</source>
        <translation>梯度消失</translation>
    </message>
    <message>
        <source>exploding gradient</source>
        <translation>梯度爆炸</translation>
    </message>
    <message>
        <source>dead ReLUs</source>
        <translation>死亡 ReLU</translation>
    </message>
    <message>
        <source>Collect layer statistics during runs</source>
        <translation>训练时收集各层统计</translation>
    </message>
    <message>
        <source>Warnings: gradient norm below 1e-7 (vanishing) or above 1e3 (exploding); half or more of a ReLU&apos;s units zero for a whole batch (dead).</source>
        <translation>警告：梯度范数低于 1e-7（消失）或高于 1e3（爆炸）；ReLU 有一半或更多单元在整个批次上都输出零（死亡）。</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>No statistics yet: start a run to tint the nodes.</source>
        <translation>还没有统计：开始训练后节点会被着色。</translation>
    </message>
    <message>
        <source>Nodes tinted by {statistic}: blue low, red high.</source>
        <translation>节点按{statistic}着色：蓝色低，红色高。</translation>
    </message>
    <message>
        <source>Layer statistics</source>
        <translation>层统计</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import PyTorch Model</source>
        <translation>导入 PyTorch 模型</translation>
    </message>
    <message>
        <source>model.py:Net  or  torchvision:resnet18</source>
        <translation>model.py:Net 或 torchvision:resnet18</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>The input&apos;s shape without the batch; &apos;;&apos; between inputs</source>
        <translation>输入的形状(不含批次维);多个输入用 &apos;;&apos; 分隔</translation>
    </message>
    <message>
        <source>for example {&quot;num_classes&quot;: 10}</source>
        <translation>例如 {&quot;num_classes&quot;: 10}</translation>
    </message>
    <message>
        <source>Importing runs this model&apos;s Python code on your computer (its module and its constructor). Import only code you trust.</source>
        <translation>导入会在你的电脑上运行该模型的 Python 代码(模块本身及其构造函数)。只导入你信任的代码。</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型:</translation>
    </message>
    <message>
        <source>Input shape:</source>
        <translation>输入形状:</translation>
    </message>
    <message>
        <source>Input dtype:</source>
        <translation>输入类型:</translation>
    </message>
    <message>
        <source>Arguments (JSON):</source>
        <translation>参数(JSON):</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Importing… the model&apos;s code is running; Cancel stops it.</source>
        <translation>正在导入…模型的代码正在运行；按“取消”可停止。</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>Python files (*.py)</source>
        <translation>Python 文件 (*.py)</translation>
    </message>
</context>
<context>
    <name>ImportRun</name>
    <message>
        <source>the import was stopped after {seconds} s: building or tracing the model did not finish (its code may wait for input or loop forever)</source>
        <translation>导入在 {seconds} 秒后被停止：模型的构建或追踪没有完成（它的代码可能在等待输入或陷入死循环）</translation>
    </message>
</context>
<context>
    <name>Init</name>
    <message>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>initialisation of {tensor}</source>
        <translation>{tensor} 的初始化</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>{count} layers selected</source>
        <translation>已选中 {count} 个层</translation>
    </message>
    <message>
        <source>Select a single layer to edit its arguments.</source>
        <translation>选中单个层以编辑它的参数。</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>{count} error(s)</source>
        <translation>{count} 个错误</translation>
    </message>
    <message>
        <source>{count} layers · {total_params:,} parameters · {state}</source>
        <translation>{count} 个层 · {total_params:,} 个参数 · {state}</translation>
    </message>
    <message>
        <source>Select a layer on the canvas to edit it, or double-click a layer in the palette to add it.</source>
        <translation>在画布上选中一个层来编辑它，或者在层面板中双击一个层来添加它。</translation>
    </message>
    <message>
        <source>Block {block}</source>
        <translation>块 {block}</translation>
    </message>
    <message>
        <source>Opened from &apos;{instance}&apos; · {count} layers inside · {total_params:,} parameters in this instance</source>
        <translation>从 &apos;{instance}&apos; 打开 · 内含 {count} 层 · 此实例有 {total_params:,} 个参数</translation>
    </message>
    <message>
        <source>Parameters: {params}</source>
        <translation>参数：{params}</translation>
    </message>
    <message>
        <source>Select a layer to edit it: the edit changes the block, so every instance follows. Esc or the path above the canvas goes back up.</source>
        <translation>选择一层进行编辑：修改作用于块本身，所有实例随之改变。按 Esc 或点击画布上方的路径返回上一级。</translation>
    </message>
    <message>
        <source>The generated code builds it in __init__ and never calls it</source>
        <translation>生成的代码在 __init__ 中构建它，但从不调用它</translation>
    </message>
    <message>
        <source>A name for this layer (its id is {id})</source>
        <translation>这个层的名称（它的 id 是 {id}）</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>构造参数</translation>
    </message>
    <message>
        <source>pin {name}</source>
        <translation>固定 {name}</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Pin: set this value yourself instead of inferring it from the input</source>
        <translation>固定：自己设置这个值，而不是根据输入推断</translation>
    </message>
    <message>
        <source>Back to the default ({default!r})</source>
        <translation>恢复默认值（{default!r}）</translation>
    </message>
    <message>
        <source>{doc} — pinned</source>
        <translation>{doc} — 已固定</translation>
    </message>
    <message>
        <source>{doc} — inferred</source>
        <translation>{doc} — 自动推断</translation>
    </message>
    <message>
        <source>Not applied: {reason}</source>
        <translation>未应用：{reason}</translation>
    </message>
    <message>
        <source>{name} cannot be pinned until it can be inferred from the input</source>
        <translation>在能够根据输入推断出 {name} 之前，无法固定它</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>Copies of this node in sequence, each with its own weights</source>
        <translation>此节点依次重复的副本数，每个副本有自己的权重</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Call the layer of another node of the same type (shared weights)</source>
        <translation>调用另一个同类型节点的层（共享权重）</translation>
    </message>
    <message>
        <source>(its own layer)</source>
        <translation>（自己的层）</translation>
    </message>
    <message>
        <source>Shares</source>
        <translation>共享</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <source>Cannot save the block</source>
        <translation>无法保存该块</translation>
    </message>
    <message>
        <source>Saved block {name} to the block library ({path})</source>
        <translation>已将块 {name} 保存到块库（{path}）</translation>
    </message>
    <message>
        <source>Rename library block</source>
        <translation>重命名库中的块</translation>
    </message>
    <message>
        <source>New name for {name}:</source>
        <translation>{name} 的新名称：</translation>
    </message>
    <message>
        <source>Cannot rename the block</source>
        <translation>无法重命名该块</translation>
    </message>
    <message>
        <source>Delete block {name} from the block library? Projects that use it keep their copy.</source>
        <translation>从块库中删除块 {name}？使用它的项目会保留各自的副本。</translation>
    </message>
    <message>
        <source>Delete block</source>
        <translation>删除块</translation>
    </message>
    <message>
        <source>Cannot delete the block</source>
        <translation>无法删除该块</translation>
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
    <name>LrFinder</name>
    <message>
        <source>Find Learning Rate</source>
        <translation>寻找学习率</translation>
    </message>
    <message>
        <source>A short run on a copy of the network whose learning rate grows from 1e-7 to 10: the loss falls while the rate is useful and explodes when it is too large. The suggestion is where the loss falls fastest.</source>
        <translation>在网络的副本上做一次短训练，学习率从 1e-7 增长到 10：学习率合适时损失下降，过大时损失爆炸。建议值是损失下降最快的位置。</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Run Again</source>
        <translation>再次运行</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Running the range test…</source>
        <translation>正在运行范围测试…</translation>
    </message>
    <message>
        <source>The loss did not fall at any rate tried: no suggestion.</source>
        <translation>在尝试的所有学习率下损失都没有下降：没有建议。</translation>
    </message>
    <message>
        <source>Suggested learning rate {lr:.3g} (the loss was lowest at {minimum:.3g}).</source>
        <translation>建议的学习率 {lr:.3g}（损失在 {minimum:.3g} 处最低）。</translation>
    </message>
    <message>
        <source>Apply lr = {lr:.3g}</source>
        <translation>应用 lr = {lr:.3g}</translation>
    </message>
    <message>
        <source>The learning rate is now {lr:g} (Edit › Undo restores it).</source>
        <translation>学习率现在是 {lr:g}（编辑 › 撤销可恢复）。</translation>
    </message>
    <message>
        <source>The settings cannot change while a run is going.</source>
        <translation>训练进行中，设置不能更改。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Show the problems</source>
        <translation>显示问题</translation>
    </message>
    <message>
        <source>✗  1 error</source>
        <translation>✗  1 个错误</translation>
    </message>
    <message>
        <source>✗  {count} errors</source>
        <translation>✗  {count} 个错误</translation>
    </message>
    <message>
        <source>⚠  1 warning</source>
        <translation>⚠  1 个警告</translation>
    </message>
    <message>
        <source>⚠  {count} warnings</source>
        <translation>⚠  {count} 个警告</translation>
    </message>
    <message>
        <source>✓  Valid</source>
        <translation>✓  有效</translation>
    </message>
    <message>
        <source>Empty drawing</source>
        <translation>空白图</translation>
    </message>
    <message>
        <source>{total_params:,} parameters</source>
        <translation>{total_params:,} 个参数</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Netwright — {name}{mark}</source>
        <translation>Netwright — {name}{mark}</translation>
    </message>
    <message>
        <source>Cannot add the block</source>
        <translation>无法添加该块</translation>
    </message>
    <message>
        <source>Insert {layer_type} after &apos;{name}&apos;</source>
        <translation>在 &apos;{name}&apos; 之后插入 {layer_type}</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Run on several processes</source>
        <translation>在多个进程上运行</translation>
    </message>
    <message>
        <source>Processes (torchrun --nproc_per_node):</source>
        <translation>进程数（torchrun --nproc_per_node）：</translation>
    </message>
    <message>
        <source>the run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <source>Language: {name}</source>
        <translation>语言：{name}</translation>
    </message>
    <message>
        <source>About Netwright</source>
        <translation>关于 Netwright</translation>
    </message>
    <message>
        <source>Build PyTorch networks by drawing them.</source>
        <translation>通过画图来搭建 PyTorch 网络。</translation>
    </message>
    <message>
        <source>Drag layers from the palette, wire them, and read the code.</source>
        <translation>从层面板拖出层，把它们连起来，然后阅读生成的代码。</translation>
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
        <source>Export C&amp;luster Job…</source>
        <translation>导出集群作业(&amp;L)…</translation>
    </message>
    <message>
        <source>Export &amp;ONNX…</source>
        <translation>导出 ONNX(&amp;O)…</translation>
    </message>
    <message>
        <source>Export Torch&amp;Script…</source>
        <translation>导出 TorchScript(&amp;S)…</translation>
    </message>
    <message>
        <source>Export torch.export &amp;Program…</source>
        <translation>导出 torch.export 程序(&amp;P)…</translation>
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
        <source>Start from &amp;Weights…</source>
        <translation>从权重开始(&amp;W)…</translation>
    </message>
    <message>
        <source>Res&amp;ume Run…</source>
        <translation>继续运行(&amp;U)…</translation>
    </message>
    <message>
        <source>Find &amp;Learning Rate…</source>
        <translation>寻找学习率(&amp;L)…</translation>
    </message>
    <message>
        <source>Run on &amp;N Processes…</source>
        <translation>在 N 个进程上运行(&amp;N)…</translation>
    </message>
    <message>
        <source>Sample Through the &amp;Network</source>
        <translation>样本流经网络(&amp;N)</translation>
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
        <source>Open Block</source>
        <translation>打开块</translation>
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
    <message>
        <source>&amp;Import PyTorch Model…</source>
        <translation>导入 PyTorch 模型(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Freeze / Unfreeze</source>
        <translation>冻结/解冻(&amp;F)</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>解冻</translation>
    </message>
    <message>
        <source>Unfreeze {count} layers</source>
        <translation>解冻 {count} 个层</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Freeze {count} layers</source>
        <translation>冻结 {count} 个层</translation>
    </message>
    <message>
        <source>&amp;Trust Code in This Project</source>
        <translation>信任此项目中的代码(&amp;T)</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source> — inferred</source>
        <translation> — 自动推断</translation>
    </message>
    <message>
        <source> — set</source>
        <translation> — 必须设置</translation>
    </message>
    <message>
        <source>Search layers  (Ctrl+F)</source>
        <translation>搜索层  (Ctrl+F)</translation>
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
        <source>New layer from code</source>
        <translation>用代码新建层</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>块</translation>
    </message>
    <message>
        <source>My blocks</source>
        <translation>我的块</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete from My blocks</source>
        <translation>从“我的块”中删除</translation>
    </message>
    <message>
        <source>Save to My blocks</source>
        <translation>保存到“我的块”</translation>
    </message>
</context>
<context>
    <name>ParamEditors</name>
    <message>
        <source>Same size in every dimension</source>
        <translation>每个维度大小相同</translation>
    </message>
    <message>
        <source>{name} same in every dimension</source>
        <translation>{name} 在每个维度上相同</translation>
    </message>
    <message>
        <source>e.g. 1, 28, 28</source>
        <translation>例如 1, 28, 28</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source> (empty: none)</source>
        <translation>（留空：None）</translation>
    </message>
    <message>
        <source>{name} must be a number, not {part!r}</source>
        <translation>{name} 必须是数字，而不是 {part!r}</translation>
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
    <message>
        <source>project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>No problems: every wire fits.</source>
        <translation>没有问题：每条连线的形状都匹配。</translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message>
        <source> (never saved)</source>
        <translation>（从未保存）</translation>
    </message>
    <message>
        <source>“{name}”{where}, last changed {when}.</source>
        <translation>“{name}”{where}，最后修改于 {when}。</translation>
    </message>
    <message>
        <source>not a recovery file</source>
        <translation>不是恢复文件</translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>training accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>validation RMSE</source>
        <translation>验证 RMSE</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Delete Runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Delete {count} run(s) and their files? {names}</source>
        <translation>删除 {count} 次运行及其文件？{names}</translation>
    </message>
    <message>
        <source>run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>final validation</source>
        <translation>最终验证</translation>
    </message>
    <message>
        <source>Select runs to compare them; double-click a name to rename</source>
        <translation>选择多次运行进行比较；双击名称可重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>The training settings that differ</source>
        <translation>不同的训练设置</translation>
    </message>
    <message>
        <source>Overlay:</source>
        <translation>叠加：</translation>
    </message>
    <message>
        <source>Save the project to keep its runs and compare them here.</source>
        <translation>保存项目后，它的运行会被保留，并可在这里比较。</translation>
    </message>
    <message>
        <source>No runs yet: every run will be kept here.</source>
        <translation>还没有运行：每次运行都会保留在这里。</translation>
    </message>
    <message>
        <source>{count} run(s) in {folder}</source>
        <translation>{folder} 中有 {count} 次运行</translation>
    </message>
    <message>
        <source>No stopped run to resume: every run here finished.</source>
        <translation>没有可继续的已停止运行：这里的运行都已完成。</translation>
    </message>
    <message>
        <source>Press Resume to continue “{name}” where it stopped.</source>
        <translation>按“继续运行”，从“{name}”停下的地方接着训练。</translation>
    </message>
    <message>
        <source>A run is going: resume another when it has ended</source>
        <translation>正在运行：请在它结束后再继续其他运行</translation>
    </message>
    <message>
        <source>This run finished all its epochs</source>
        <translation>此运行已完成全部轮次</translation>
    </message>
    <message>
        <source>Continue the selected stopped run from its last whole epoch, with its settings</source>
        <translation>以所选已停止运行自己的设置，从其最后一个完整轮次接着训练</translation>
    </message>
    <message>
        <source>“{name}” finished all its epochs: there is nothing to resume.</source>
        <translation>“{name}”已完成全部轮次：没有可继续的内容。</translation>
    </message>
    <message>
        <source>“{name}” kept no resume state: it ended before its first epoch was complete.</source>
        <translation>“{name}”没有保存续训状态：它在第一个轮次完成前就结束了。</translation>
    </message>
    <message>
        <source>“{name}” trained another network: the drawing has changed since. Undo the changes to resume it, or start a new run.</source>
        <translation>“{name}”训练的是另一个网络：此后图已更改。撤销这些更改才能继续它，或开始新的运行。</translation>
    </message>
</context>
<context>
    <name>SampleView</name>
    <message>
        <source>Nothing to show: {reason}</source>
        <translation>没有可显示的内容：{reason}</translation>
    </message>
    <message>
        <source>random weights, before training</source>
        <translation>随机权重，训练之前</translation>
    </message>
    <message>
        <source>training, step {step}</source>
        <translation>训练中，第 {step} 步</translation>
    </message>
    <message>
        <source>the last run&apos;s final weights</source>
        <translation>上次运行的最终权重</translation>
    </message>
    <message>
        <source>weights saved after epoch {epoch}</source>
        <translation>第 {epoch} 轮后保存的权重</translation>
    </message>
    <message>
        <source>Sample {index} · true: {target} · network: {predicted} · {weights}</source>
        <translation>样本 {index} · 真实：{target} · 网络：{predicted} · {weights}</translation>
    </message>
    <message>
        <source>{node}: nothing to show (not run for this sample)</source>
        <translation>{node}：没有可显示的内容（这个样本没有经过它）</translation>
    </message>
    <message>
        <source>feature maps, first {count} channels</source>
        <translation>特征图，前 {count} 个通道</translation>
    </message>
    <message>
        <source>values</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>sequence, one line per feature</source>
        <translation>序列，每个特征一条线</translation>
    </message>
    <message>
        <source>class probabilities</source>
        <translation>类别概率</translation>
    </message>
    <message>
        <source>{node} · output {shape} · {kind}</source>
        <translation>{node} · 输出 {shape} · {kind}</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Which sample of the validation split</source>
        <translation>验证集中的哪个样本</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有运行。</translation>
    </message>
    <message>
        <source>Epoch — · — samples/s · elapsed — · ETA —</source>
        <translation>训练轮数 — · — 样本/秒 · 已用时 — · 预计剩余 —</translation>
    </message>
    <message>
        <source>Compare with previous runs</source>
        <translation>与之前的运行比较</translation>
    </message>
    <message>
        <source>Log-scale loss</source>
        <translation>损失使用对数坐标</translation>
    </message>
    <message>
        <source>Messages from the run appear here.</source>
        <translation>运行中的消息会显示在这里。</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>已暂停。</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>已继续。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Run {number}: {task} on {device_name} ({device}), {train} training / {val} validation samples, {epochs} epochs of {batches} batches.</source>
        <translation>第 {number} 次运行：{task}，设备 {device_name}（{device}），{train} 个训练样本 / {val} 个验证样本，{epochs} 个训练轮数，每轮 {batches} 个批量。</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Stopped early</source>
        <translation>已提前停止</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · batch {batch}/{batches}</source>
        <translation>第 {epoch}/{epochs} 轮 · 批量 {batch}/{batches}</translation>
    </message>
    <message>
        <source>{rate:,.0f} samples/s</source>
        <translation>{rate:,.0f} 样本/秒</translation>
    </message>
    <message>
        <source>elapsed {time}</source>
        <translation>已用时 {time}</translation>
    </message>
    <message>
        <source>ETA {time}</source>
        <translation>预计剩余 {time}</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Could not list devices: {error}</source>
        <translation>无法列出设备：{error}</translation>
    </message>
    <message>
        <source>Auto (best available)</source>
        <translation>自动（选择最好的可用设备）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>cuda (the first GPU)</source>
        <translation>cuda（第一块 GPU）</translation>
    </message>
    <message>
        <source>{device} (not on this machine)</source>
        <translation>{device}（这台机器上没有）</translation>
    </message>
    <message>
        <source>Looking for GPUs…</source>
        <translation>正在查找 GPU…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Train the drawn network with these settings</source>
        <translation>用这些设置训练画好的网络</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Training — the drawing is read-only until the run ends.</source>
        <translation>训练中 — 运行结束前图是只读的。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Another project was opened: the run is stopped.</source>
        <translation>打开了另一个项目：运行已停止。</translation>
    </message>
    <message>
        <source> (and {count} more)</source>
        <translation>（另有 {count} 个）</translation>
    </message>
    <message>
        <source>The drawing has errors: {message}{more}</source>
        <translation>图中有错误：{message}{more}</translation>
    </message>
    <message>
        <source>Training settings: {exc}</source>
        <translation>训练设置：{exc}</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>The run ended without a result.</source>
        <translation>运行结束了，但没有结果。</translation>
    </message>
    <message>
        <source>The run failed.</source>
        <translation>运行失败。</translation>
    </message>
    <message>
        <source>A run on several processes cannot pause: its processes train in lockstep. Stop ends it and keeps its last whole epoch, which History › Resume continues.</source>
        <translation>多进程运行无法暂停：各进程步调一致地训练。停止会结束运行并保留最后一个完整的轮次，可在“历史”中用“继续运行”接着训练。</translation>
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
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Validation RMSE</source>
        <translation>验证 RMSE</translation>
    </message>
    <message>
        <source>Choose a dataset to see a few samples.</source>
        <translation>选择一个数据集来查看几个样本。</translation>
    </message>
    <message>
        <source>Loading {dataset}…</source>
        <translation>正在加载 {dataset}…</translation>
    </message>
    <message>
        <source>Cannot preview {dataset}: {error}</source>
        <translation>无法预览 {dataset}：{error}</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>标量</translation>
    </message>
    <message>
        <source>{name}: {count:,} samples of shape [{shape}]</source>
        <translation>{name}：{count:,} 个形状为 [{shape}] 的样本</translation>
    </message>
    <message>
        <source>{count} classes</source>
        <translation>{count} 个类别</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>early stopped</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>{status} after {count} epoch(s)</source>
        <translation>{count} 轮后{status}</translation>
    </message>
    <message>
        <source>train loss {loss:.4g}</source>
        <translation>训练损失 {loss:.4g}</translation>
    </message>
    <message>
        <source>validation loss {loss:.4g}</source>
        <translation>验证损失 {loss:.4g}</translation>
    </message>
    <message>
        <source>validation accuracy {accuracy:.2%}</source>
        <translation>验证准确率 {accuracy:.2%}</translation>
    </message>
    <message>
        <source>Results appear here when a run ends.</source>
        <translation>运行结束后结果会显示在这里。</translation>
    </message>
    <message>
        <source>Rows: true class · columns: predicted class</source>
        <translation>行：真实类别 · 列：预测类别</translation>
    </message>
    <message>
        <source>One validation sample</source>
        <translation>一个验证样本</translation>
    </message>
    <message>
        <source>Prediction vs truth</source>
        <translation>预测值与真实值</translation>
    </message>
    <message>
        <source>Confusion matrix on the validation set: rows are the true class, columns the predicted one.</source>
        <translation>验证集上的混淆矩阵：行是真实类别，列是预测类别。</translation>
    </message>
    <message>
        <source>No validation predictions for this run.</source>
        <translation>这次运行没有验证集预测。</translation>
    </message>
    <message>
        <source>true {names}, predicted {names2}: {counts}</source>
        <translation>真实 {names}，预测 {names2}：{counts}</translation>
    </message>
    <message>
        <source>this run left no weights to save</source>
        <translation>这次运行没有留下可以保存的权重</translation>
    </message>
    <message>
        <source>cannot write {target}: {value}</source>
        <translation>无法写入 {target}：{value}</translation>
    </message>
    <message>
        <source>cannot generate code: {exc}</source>
        <translation>无法生成代码：{exc}</translation>
    </message>
    <message>
        <source>cannot write into {folder}: {value}</source>
        <translation>无法写入 {folder}：{value}</translation>
    </message>
    <message>
        <source>Save weights…</source>
        <translation>保存权重…</translation>
    </message>
    <message>
        <source>Copy the best weights of the last run (a state_dict)</source>
        <translation>复制上一次运行的最佳权重（state_dict）</translation>
    </message>
    <message>
        <source>Export code with weights…</source>
        <translation>导出代码和权重…</translation>
    </message>
    <message>
        <source>Write model.py and weights.pt into a folder</source>
        <translation>把 model.py 和 weights.pt 写入一个文件夹</translation>
    </message>
    <message>
        <source>Save weights</source>
        <translation>保存权重</translation>
    </message>
    <message>
        <source>PyTorch weights (*.pt *.pth)</source>
        <translation>PyTorch 权重 (*.pt *.pth)</translation>
    </message>
    <message>
        <source>Export code with weights</source>
        <translation>导出代码和权重</translation>
    </message>
    <message>
        <source>Wrote {files}.</source>
        <translation>已写入 {files}。</translation>
    </message>
    <message>
        <source>Training could not start: {exc}</source>
        <translation>训练无法启动：{exc}</translation>
    </message>
    <message>
        <source>Training failed: {exc}</source>
        <translation>训练失败：{exc}</translation>
    </message>
    <message>
        <source>No validation predictions: {exc}</source>
        <translation>没有验证集预测：{exc}</translation>
    </message>
    <message>
        <source>Start from weights…</source>
        <translation>从权重开始…</translation>
    </message>
    <message>
        <source>Load a state_dict (.pt) into the network before training</source>
        <translation>训练前把 state_dict（.pt）载入网络</translation>
    </message>
    <message>
        <source>Strict</source>
        <translation>严格</translation>
    </message>
    <message>
        <source>Refuse the file unless every tensor fits the drawing</source>
        <translation>除非每个张量都与图吻合，否则拒绝该文件</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Start from random weights again</source>
        <translation>重新从随机权重开始</translation>
    </message>
    <message>
        <source>Start from weights</source>
        <translation>从权重开始</translation>
    </message>
    <message>
        <source>PyTorch weights (*.pt *.pth);;All files (*)</source>
        <translation>PyTorch 权重 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot start from these weights: {why}</source>
        <translation>无法从这些权重开始：{why}</translation>
    </message>
    <message>
        <source>Random initial weights</source>
        <translation>随机初始权重</translation>
    </message>
    <message>
        <source>Starts from {file}</source>
        <translation>从 {file} 开始</translation>
    </message>
    <message>
        <source>Log to TensorBoard</source>
        <translation>记录到 TensorBoard</translation>
    </message>
    <message>
        <source>Each run writes its losses, accuracies, learning rate, graph and weight histograms for TensorBoard; the run&apos;s log says where</source>
        <translation>每次运行都会为 TensorBoard 写入损失、准确率、学习率、网络图和权重直方图；运行日志会说明位置</translation>
    </message>
</context>
</TS>
