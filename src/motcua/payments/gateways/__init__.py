"""Payment gateways: a small base class, a registry of engines, one module per protocol."""
