"""SEAL (Self-Adapting Language Models, Zweiger et al., 2025) as a library: self-edit prompts and
parsing, generation, training, grading, the inner loop (self-edits -> LoRA candidates -> reward)
and the outer loop (ReST-EM over the self-edit policy). It never touches the database or Celery:
``workers`` runs it as jobs, ``bench`` runs it directly."""
