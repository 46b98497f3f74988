"""SKB's benchmarks: is the tool fast, and does it stay so? (`make bench`)

Each measure in `benchmarks.runner.measures()` is taken next to a floor measured
in the same run (the least work that gives the same result), so the ratio
means something on a noisy shared machine. `benchmarks.gen` generates large
checklists and filled assessments for the benchmarks and for tests. This
package measures SKB; it must not change SKB's behaviour or its data.
"""
