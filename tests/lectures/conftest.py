"""The lecture programs are scripts that train models at import: pytest must not collect them
(the suite's ``--doctest-modules`` would import each one). The tests run them through harness.py."""

collect_ignore = [
    "makemore1_bigram.py",
    "makemore2_mlp.py",
    "makemore3_batchnorm.py",
    "makemore4_backprop_ninja.py",
    "makemore5_wavenet.py",
    "quickstart.py",
]
