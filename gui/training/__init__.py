"""Training from the editor: the panel (settings, Start/Pause/Stop), its QThread worker around
runtime.Trainer, the live dashboard and a run's results. Entry: `TrainingPanel(document)`."""
