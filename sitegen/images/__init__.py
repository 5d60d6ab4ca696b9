"""The image stage: responsive variants of the site's own photos, share cards, crops.

- `model`: plain data the plan and templates see (Picture, ShareImage, PageImages) and the
  jobs the workers run (PhotoJob, CardJob); no Pillow.
- `plan`: which files a source image gets (widths, formats, crops), named and keyed.
- `pixels`: Pillow: orientation, sRGB, metadata stripped, resized and cropped, encoded.
- `cards`, `fonts`: the generated 1200 x 630 share card of an article without a lead image.

Pillow is imported only by `pixels`, `cards` and `fonts`, and only when a build processes an
image: `sitegen --help` and the configuration stage never load it.
"""
