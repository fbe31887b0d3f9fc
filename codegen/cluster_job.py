"""A cluster job for the exported training script: the torchrun command for several nodes and a
Slurm batch script that runs it, written beside model.py and train.py.

torchrun starts `nproc_per_node` processes on each node; the nodes meet through the c10d
rendezvous at the first node (`--rdzv-endpoint HOST:PORT`). User text (the project's name) only
reaches the files as a job name made of safe characters.
"""

from __future__ import annotations

import re

RDZV_PORT = 29500


def job_name(project_name: str) -> str:
    """A Slurm job name from the project's name: letters, digits, `_`, `-` and `.` only."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", project_name).strip("._")[:40] or "netwright"


def torchrun_arguments(
    nnodes: int | str, nproc_per_node: int, endpoint: str, rdzv_id: str
) -> list[str]:
    """torchrun's options for a run over `nnodes` nodes (the script and its options follow)."""
    return [
        f"--nnodes={nnodes}",
        f"--nproc_per_node={nproc_per_node}",
        "--rdzv-backend=c10d",
        f"--rdzv-endpoint={endpoint}",
        f"--rdzv-id={rdzv_id}",
    ]


def torchrun_script(nnodes: int, nproc_per_node: int) -> str:
    """torchrun.sh: run it on every node with HEAD set to the first node's address."""
    options = torchrun_arguments(
        nnodes,
        nproc_per_node,
        f'"${{HEAD:?set HEAD to the address of the first node}}:{RDZV_PORT}"',
        "netwright",
    )
    return "\n".join(
        [
            "#!/bin/sh",
            f"# Training on {nnodes} nodes with {nproc_per_node} processes each (gloo on CPU,",
            "# nccl on CUDA). Run this on every node, the same folder on each:",
            "#   HEAD=10.0.0.1 sh torchrun.sh [more options of train.py]",
            'cd "$(dirname "$0")" || exit 1',
            "exec torchrun \\",
            *(f"    {option} \\" for option in options),
            '    train.py --out runs "$@"',
            "",
        ]
    )


def slurm_script(project_name: str, nnodes: int, nproc_per_node: int, gpus: bool) -> str:
    """job.sbatch: `sbatch job.sbatch` runs one torchrun per node through srun."""
    name = job_name(project_name)
    options = torchrun_arguments(
        '"$SLURM_NNODES"', nproc_per_node, f'"$head_node:{RDZV_PORT}"', '"$SLURM_JOB_ID"'
    )
    lines = [
        "#!/bin/bash",
        f"#SBATCH --job-name={name}",
        f"#SBATCH --nodes={nnodes}",
        "#SBATCH --ntasks-per-node=1",
    ]
    if gpus:
        lines.append(f"#SBATCH --gpus-per-node={nproc_per_node}")
    lines += [
        f"#SBATCH --cpus-per-task={max(2, nproc_per_node)}",
        "#SBATCH --output=%x-%j.out",
        "",
        "# One torchrun per node (srun starts them); each starts the processes of its node, and",
        "# they meet at the first node of the allocation. Submit from this folder: sbatch "
        "job.sbatch",
        "set -euo pipefail",
        'head_node=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
        "srun torchrun \\",
        *(f"    {option} \\" for option in options),
        '    train.py --out "runs/$SLURM_JOB_ID" "$@"',
        "",
    ]
    return "\n".join(lines)
