"""The small GAN library a learner can keep using after the course.

Settings and environment, MNIST data, model builders, the losses, the trainer (``training.GAN``) and its
callbacks, checkpoints, image grids, metrics and the evaluation with the reference classifier. Nothing
here is specific to one chapter.
"""
