"""The built-in datasets' names and the other spellings people type for them: one table.

Read by the metadata `check` uses (graph/datasets.py), by the loaders (recipe/data.py) and, copied
by the training-script generator like the recipe's own definitions, by every exported script. So:
literals only, no imports, formatted for ruff's default 88 columns as the recipe is.
"""

# fmt: off
BUILTIN_DATASETS = (
    "digits",
    "digit-images",
    "shapes",
    "blobs",
    "moons",
    "spirals",
    "sincos",
    "mnist",
    "fashion-mnist",
    "cifar10",
)
# lower-cased spelling -> canonical name
DATASET_ALIASES = {
    "digitimages": "digit-images",
    "digit_images": "digit-images",
    "fashionmnist": "fashion-mnist",
    "fashion_mnist": "fashion-mnist",
    "cifar-10": "cifar10",
    "cifar_10": "cifar10",
}
# fmt: on
