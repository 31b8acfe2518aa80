"""Model builders: the chapter's MLP generator and discriminator (notebook 04 writes the same models out
in full; later chapters build them from here), a CPU-sized DCGAN (notebook 06) and its class-conditional
versions (notebook 08)."""

from __future__ import annotations

import keras
from keras import layers

IMAGE_SHAPE = (28, 28, 1)
#: the size of the noise vector z for every MNIST generator in the course (the chapter's 100)
LATENT_DIM = 100
#: the number of classes (digits 0-9) a conditional model of the course is built for
NUM_CLASSES = 10
#: how a conditional discriminator uses the label (notebook 08 compares the two)
CONDITIONINGS = ("concat", "projection")


def _check_positive(**values: object) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


def build_chapter_generator(latent_dim: int = LATENT_DIM) -> keras.Sequential:
    """The chapter's generator: noise ``(batch, latent_dim)`` -> Dense(128, relu) -> Dense(784, sigmoid)
    -> images ``(batch, 28, 28, 1)`` with pixels in [0, 1]. 114,064 parameters at ``latent_dim=100``."""
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int) or latent_dim < 1:
        raise ValueError(f"latent_dim must be a positive integer, got {latent_dim!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
            layers.Reshape(IMAGE_SHAPE),
        ],
        name="generator",
    )


def build_chapter_discriminator(logits: bool = False) -> keras.Sequential:
    """The chapter's discriminator: images ``(batch, 28, 28, 1)`` -> Flatten -> Dense(128, relu) ->
    Dense(1, sigmoid): the probability that each image is real. 100,609 parameters.

    With ``logits=True`` the last layer has no sigmoid and outputs a logit (same parameters).
    """
    if not isinstance(logits, bool):
        raise ValueError(f"logits must be True or False, got {logits!r}")
    return keras.Sequential(
        [
            keras.Input(shape=IMAGE_SHAPE),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(1, activation=None if logits else "sigmoid"),
        ],
        name="discriminator",
    )


def build_dcgan_generator(latent_dim: int = LATENT_DIM, base_filters: int = 32) -> keras.Sequential:
    """A DCGAN generator for 28 x 28 x 1 images with pixels in [-1, 1] (tanh output).

    noise ``(batch, latent_dim)`` -> Dense to 7x7x(4·base_filters) -> BatchNorm -> LeakyReLU
    -> Conv2DTranspose(2·base_filters, 5, stride 1): still 7x7 -> BatchNorm -> LeakyReLU
    -> Conv2DTranspose(base_filters, 5, stride 2): 14x14 -> BatchNorm -> LeakyReLU
    -> Conv2DTranspose(1, 5, stride 2, tanh): 28x28x1.
    The layer plan of TensorFlow's DCGAN tutorial; ``base_filters=32`` is sized for a laptop CPU, 64 matches
    the tutorial (for a GPU). The stride-1 layer works at 7x7 before any upsampling: measured on the offline
    subset it is what lets the generator draw all ten digits within 4,000 steps (the course's earlier
    two-layer generator left 1s and 4s at 2-3 % of its samples).
    """
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int) or latent_dim < 1:
        raise ValueError(f"latent_dim must be a positive integer, got {latent_dim!r}")
    if isinstance(base_filters, bool) or not isinstance(base_filters, int) or base_filters < 1:
        raise ValueError(f"base_filters must be a positive integer, got {base_filters!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(7 * 7 * 4 * base_filters, use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Reshape((7, 7, 4 * base_filters)),
            layers.Conv2DTranspose(2 * base_filters, 5, strides=1, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(base_filters, 5, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh"),
        ],
        name="dcgan_generator",
    )


def build_dcgan_discriminator(base_filters: int = 32) -> keras.Sequential:
    """A DCGAN discriminator for 28 x 28 x 1 images in [-1, 1]; outputs one logit per image.

    Conv2D(base_filters, 5, stride 2) -> LeakyReLU(0.2) -> Conv2D(2·base_filters, 5, stride 2)
    -> BatchNorm -> LeakyReLU(0.2) -> Flatten -> Dense(1). Strided convolutions instead of pooling,
    no batch norm on the input layer, as the DCGAN guidelines say.
    """
    return _strided_conv_judge(base_filters, critic=False)


def build_dcgan_critic(base_filters: int = 32) -> keras.Sequential:
    """A Wasserstein critic for WGAN-GP (notebook 10): notebook 06's DCGAN discriminator with layer
    normalisation in place of batch normalisation, images ``(batch, 28, 28, 1)`` in [-1, 1] -> one score
    per image ``(batch, 1)``, any real number (no sigmoid).

    The gradient penalty constrains the critic's gradient with respect to *each* input on its own; batch
    normalisation makes every score depend on the rest of the batch, so the WGAN-GP paper drops it from the
    critic and suggests layer normalisation, which normalises each image's features by themselves.
    """
    return _strided_conv_judge(base_filters, critic=True)


def _strided_conv_judge(base_filters: int, critic: bool) -> keras.Sequential:
    """The layers shared by the DCGAN discriminator and the WGAN-GP critic; they differ only in the
    normalisation after the second convolution (batch norm, whose beta makes a bias redundant, or per-image
    layer norm) and in the model's name."""
    _check_positive(base_filters=base_filters)
    first = [
        keras.Input(shape=IMAGE_SHAPE),
        layers.Conv2D(base_filters, 5, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
    ]
    if critic:
        second = [
            layers.Conv2D(2 * base_filters, 5, strides=2, padding="same"),
            layers.LayerNormalization(axis=[1, 2, 3]),
        ]
    else:
        second = [
            layers.Conv2D(2 * base_filters, 5, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
        ]
    return keras.Sequential(
        [*first, *second, layers.LeakyReLU(negative_slope=0.2), layers.Flatten(), layers.Dense(1)],
        name="dcgan_critic" if critic else "dcgan_discriminator",
    )


def _label_input() -> keras.KerasTensor:
    """A batch of class labels: integers, shape ``(batch,)``."""
    return keras.Input(shape=(), dtype="int32", name="label")


def build_conditional_generator(
    latent_dim: int = LATENT_DIM, num_classes: int = NUM_CLASSES, base_filters: int = 32
) -> keras.Model:
    """The DCGAN generator of :func:`build_dcgan_generator`, told which digit to draw.

    Inputs ``[z, label]``: noise ``(batch, latent_dim)`` and integer labels ``(batch,)`` in
    ``0..num_classes-1``. The label is one-hot encoded and concatenated to z, so the first Dense layer
    sees ``latent_dim + num_classes`` numbers (a one-hot vector times a weight matrix is the same as
    looking up a learned embedding of the label and adding it). Output: images ``(batch, 28, 28, 1)`` in
    [-1, 1] (tanh). The layers after the first are the DCGAN generator's.
    """
    _check_positive(latent_dim=latent_dim, num_classes=num_classes, base_filters=base_filters)
    z = keras.Input(shape=(latent_dim,), name="z")
    label = _label_input()
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot", name="one_hot")(label)
    x = layers.Concatenate(name="z_and_label")([z, one_hot])
    x = layers.Dense(7 * 7 * 4 * base_filters, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Reshape((7, 7, 4 * base_filters))(x)
    for filters, stride in ((2 * base_filters, 1), (base_filters, 2)):
        x = layers.Conv2DTranspose(filters, 5, strides=stride, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
    images = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh", name="image")(x)
    return keras.Model([z, label], images, name="conditional_generator")


def build_conditional_discriminator(
    conditioning: str = "projection", num_classes: int = NUM_CLASSES, base_filters: int = 32
) -> keras.Model:
    """The DCGAN discriminator of :func:`build_dcgan_discriminator`, told which digit the image claims
    to be. Inputs ``[images, label]``: images ``(batch, 28, 28, 1)`` in [-1, 1] and integer labels
    ``(batch,)``; output: one logit per image ``(batch, 1)``, "is this a real image *of this digit*?".

    - ``conditioning="concat"`` (the usual tutorial way): the one-hot label is copied to every pixel as
      ``num_classes`` extra input channels, so the first convolution sees ``(28, 28, 1 + num_classes)``.
    - ``conditioning="projection"`` (Miyato & Koyama, 2018; the way that scales to many classes): the
      convolutions see the image alone and give features h; the logit is
      ``w·h + b + embed(label)·h``, an unconditional score plus the inner product of h with a learned
      vector for the claimed class.
    """
    if conditioning not in CONDITIONINGS:
        raise ValueError(f"conditioning must be one of {CONDITIONINGS}, got {conditioning!r}")
    _check_positive(num_classes=num_classes, base_filters=base_filters)
    images = keras.Input(shape=IMAGE_SHAPE, name="image")
    label = _label_input()
    x = images
    if conditioning == "concat":
        one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot", name="one_hot")(label)
        planes = layers.RepeatVector(IMAGE_SHAPE[0] * IMAGE_SHAPE[1], name="one_hot_per_pixel")(one_hot)
        planes = layers.Reshape((IMAGE_SHAPE[0], IMAGE_SHAPE[1], num_classes), name="label_planes")(planes)
        x = layers.Concatenate(name="image_and_label")([images, planes])
    x = layers.Conv2D(base_filters, 5, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2D(2 * base_filters, 5, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    h = layers.Flatten(name="features")(x)
    logit = layers.Dense(1, name="unconditional_logit")(h)
    if conditioning == "projection":
        class_vector = layers.Embedding(num_classes, h.shape[-1], name="class_embedding")(label)
        projection = layers.Dot(axes=1, name="projection")([class_vector, h])
        logit = layers.Add(name="logit")([logit, projection])
    return keras.Model([images, label], logit, name=f"{conditioning}_discriminator")


def takes_labels(model: keras.Model) -> bool:
    """Whether ``model`` is conditional: it takes two inputs, samples (or noise) and integer labels."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model must be a keras.Model (a generator or discriminator), got {type(model).__name__}"
        )
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return False
    return len(inputs) == 2


def build_ring_generator(latent_dim: int = 16, hidden: int = 128) -> keras.Sequential:
    """The toy generator of chapter 05: noise ``(batch, latent_dim)`` -> two Dense(hidden, relu)
    -> Dense(2): points ``(batch, 2)`` in the plane (no output activation)."""
    for name, value in (("latent_dim", latent_dim), ("hidden", hidden)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(hidden, activation="relu"),
            layers.Dense(hidden, activation="relu"),
            layers.Dense(2),
        ],
        name="ring_generator",
    )


@keras.saving.register_keras_serializable(package="gan_helpers")
class MinibatchStdDev(layers.Layer):
    """Minibatch standard deviation (Karras et al., 2018): lets a discriminator see a whole batch at once.

    For features ``(batch, features)`` it takes each feature's standard deviation over the batch, averages
    them into one number ``s`` and appends ``s`` to every sample: output ``(batch, features + 1)``. A
    collapsed generator, whose batch is all alike, gives a small ``s`` that real batches never give, so the
    discriminator can reject a whole batch for lacking variety. Because ``s`` depends on the batch, a batch
    of one gives ``s = 0``: judge samples in batches like the ones D was trained on.
    """

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        if len(input_shape) != 2:
            raise ValueError(
                f"MinibatchStdDev expects features of shape (batch, features), got {input_shape}"
            )
        features = input_shape[-1]
        return (input_shape[0], None if features is None else features + 1)

    def call(self, inputs: keras.KerasTensor) -> keras.KerasTensor:
        mean = keras.ops.mean(inputs, axis=0, keepdims=True)
        variance = keras.ops.mean(keras.ops.square(inputs - mean), axis=0)
        spread = keras.ops.mean(keras.ops.sqrt(variance + 1e-8))  # one number for the whole batch
        column = keras.ops.ones_like(inputs[:, :1]) * spread
        return keras.ops.concatenate([inputs, column], axis=-1)


def build_ring_discriminator(hidden: int = 128, minibatch_std: bool = False) -> keras.Sequential:
    """The toy discriminator of chapter 05: points ``(batch, 2)`` -> two Dense(hidden, relu) -> one
    logit per point ``(batch, 1)``. The last layer is linear, so the same network serves as a Wasserstein
    critic (chapter 10). With ``minibatch_std=True`` a :class:`MinibatchStdDev` layer after the first
    Dense layer shows D the batch's spread (``hidden + 1`` features go into the second layer)."""
    if isinstance(hidden, bool) or not isinstance(hidden, int) or hidden < 1:
        raise ValueError(f"hidden must be a positive integer, got {hidden!r}")
    if not isinstance(minibatch_std, bool):
        raise ValueError(f"minibatch_std must be True or False, got {minibatch_std!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(2,)),
            layers.Dense(hidden, activation="relu"),
            *([MinibatchStdDev()] if minibatch_std else []),
            layers.Dense(hidden, activation="relu"),
            layers.Dense(1),
        ],
        name="ring_discriminator_mbstd" if minibatch_std else "ring_discriminator",
    )


def describe(model: keras.Model) -> str:
    """A compact table of ``model``: one line per layer with its type (inputs by name when there are
    several), output shape (batch axis as ``None``) and parameter count, then the total. Stable across
    Keras versions (unlike ``summary()``, whose layout and layer names change)."""
    if not isinstance(model, keras.Model) or not model.layers:
        raise ValueError("describe() needs a built keras.Model with layers (start it with keras.Input)")
    inputs = " and ".join(str(tuple(tensor.shape)) for tensor in model.inputs)
    lines = [f"{model.name}: input{'s' if len(model.inputs) > 1 else ''} {inputs}"]
    for layer in model.layers:
        shape = tuple(layer.output.shape)
        kind = type(layer).__name__
        if kind == "InputLayer" and len(model.inputs) > 1:
            kind = f"Input {layer.name}"  # which input is which: "Input z", "Input label"
        lines.append(f"  {kind:<20} -> {shape!s:<20} {layer.count_params():>8,} parameters")
    lines.append(f"  {'total':<44} {model.count_params():>8,} parameters")
    return "\n".join(lines)
