"""What learners' notebooks import, and nothing else: notebooks import only from here.

- `visibility`: who can see a post, per network (the model); `simulator`: its widget.
- `check`: the test cells' checks, with plain-language messages.
- `charter`, `passwords`, `personal_data`, `exif`, `persona`, `networks`, `charts`: the
  helpers of each module's exercises; `data`: the synthetic, seeded data sets.
- `knowledge`: the ungraded questions that open and close each module (`questions/`).

Everything here runs in a learner's kernel and in the grading worker, which imports this
whole subpackage before it forks: keep imports light and never import the trainer's side.
"""
