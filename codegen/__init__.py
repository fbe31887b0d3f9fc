"""Project + report -> Python source: the nn.Module and a training script. No Qt, no torch."""

from codegen.model_gen import GENERATED_FILENAME, CodegenError, GeneratedModel, generate_model

__all__ = ["GENERATED_FILENAME", "CodegenError", "GeneratedModel", "generate_model"]
