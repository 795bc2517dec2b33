"""Development tools that are not the product: benchmarks, evaluations, training, the labelled
data's checks. Nothing under `pipeline/` or `dashboard/` imports from here at run time."""
