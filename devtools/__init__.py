"""Development tools that are not the product: benchmarks, evaluations, training, the labelled
data's checks, the generator of synthetic postmortems. Nothing under `pipeline/` or
`dashboard/` imports from here at run time, except `postmortems generate`, which runs the
generator (installed with the product for that reason)."""
