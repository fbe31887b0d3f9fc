"""Models built on torch's layer stacks, nn.TransformerEncoder and nn.TransformerDecoder, as
transformer tutorials write them. Imported as `path:ClassName`."""

import torch.nn as nn


class SequenceClassifier(nn.Module):
    """Two encoder layers and a final norm, then the mean over the sequence and a head."""

    def __init__(self, width=8, classes=3):
        super().__init__()
        layer = nn.TransformerEncoderLayer(width, 2, 16, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(width))
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        return self.head(self.encoder(x).mean(dim=1))


class Translator(nn.Module):
    """An encoder stack without a norm and a decoder stack attending to its output."""

    def __init__(self, width=8):
        super().__init__()
        encoder = nn.TransformerEncoderLayer(width, 2, 16, batch_first=True, norm_first=True)
        decoder = nn.TransformerDecoderLayer(width, 2, 16, batch_first=True)
        self.encoder = nn.TransformerEncoder(encoder, 1, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(decoder, 2)
        self.out = nn.Linear(width, 5)

    def forward(self, source, target):
        return self.out(self.decoder(target, self.encoder(source)))


class Padded(nn.Module):
    """Calls its encoder with a padding mask, which a drawing cannot say."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 1
        )

    def forward(self, x):
        return self.encoder(x, src_key_padding_mask=x[:, :, 0] > 0)
