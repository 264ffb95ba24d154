"""Glue between the Snakemake rules and DVC: parameter plumbing, dvc.yaml generation, dvc.lock sync."""
