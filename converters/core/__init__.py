"""What every converter shares: the item model, the registry, diagnostics and text helpers."""
