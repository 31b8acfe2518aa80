"""Files the course ships: the reference MNIST classifier (``mnist_classifier.keras``) and its model
card (``mnist_classifier.json``). Rebuild them with ``python -m gan_helpers.assets``; load the
classifier with :func:`gan_helpers.reference_classifier.load_reference_classifier`."""
