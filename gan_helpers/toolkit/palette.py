"""The course's colours, one per role, so every figure draws real data, the generator and the
discriminator the same way."""

#: real data, the generator, the discriminator
DATA_COLOR, G_COLOR, D_COLOR = "#55A868", "#DD8452", "#C44E52"
#: the two generator losses (and L_G in training curves)
SATURATING_COLOR, NON_SATURATING_COLOR = "#8172B3", "#4C72B0"
