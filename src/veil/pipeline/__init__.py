"""The build pipeline, one stage a module, in the order they run."""
