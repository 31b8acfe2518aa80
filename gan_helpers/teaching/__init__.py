"""The course's teaching aids: the course map, figures and diagrams, widgets, exercises and their
checks, and the toy experiments of chapters 01 (the 1-D game) and 05 (the ring of Gaussians).

They are built on :mod:`gan_helpers.toolkit`; nothing in the toolkit depends on them.
"""
