"""Learning curves of a task run, as a PNG (needs matplotlib: the ``plot`` extra)."""


def plot_learning_curves(result, path):
    """Plot each fit's per-epoch history of ``result`` and save it to ``path``.

    One panel per quantity Keras recorded (``loss``, and ``val_loss`` or
    metrics when there are any), one line per fold.

    Parameters
    ----------
    result : TaskResult
        From :func:`skdeep.tasks.run_task`.
    path : str or path
        Where the PNG goes.

    Returns
    -------
    str or path
        ``path``.

    Raises
    ------
    ValueError
        When no fit recorded a history.
    """
    import matplotlib

    from skdeep._atomic import atomic_write

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = sorted({key for history in result.histories for key in history})
    if not names:
        raise ValueError(
            "there is no training history to plot (the fits recorded no epochs), so no "
            "learning curves were drawn"
        )
    names = sorted(names, key=lambda n: (n.startswith("val_"), n != "loss", n))
    figure, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.6), squeeze=False)
    for axis, name in zip(axes[0], names, strict=True):
        for fold, history in enumerate(result.histories, start=1):
            values = history.get(name, [])
            axis.plot(range(1, len(values) + 1), values, label=f"fit {fold}", alpha=0.8)
        axis.set_xlabel("epoch")
        axis.set_title(name)
        axis.grid(alpha=0.3)
    if len(result.histories) <= 10:
        axes[0][0].legend(fontsize="small")
    figure.suptitle(f"{result.task.name}: {result.protocol}")
    figure.tight_layout()
    try:
        with atomic_write(path) as file:  # exactly at path, whatever its extension
            figure.savefig(file, format="png", dpi=100)
    finally:
        plt.close(figure)
    return path
