"""TensorBoard summaries for minitf, written without TensorFlow.

`FileWriter(logdir)` (or `create_file_writer`) appends scalars, histograms,
images and graphs to an event file that TensorBoard reads. The `*_pb`
builders make TF1-style `Summary` protos for `FileWriter.add_summary`.
"""

from .protos import histogram_pb, image_pb, merge, scalar_pb, to_uint8_images
from .writer import FileWriter, create_file_writer, get_default_writer, histogram, image, scalar

__all__ = [
                     "FileWriter",
                     "create_file_writer",
                     "get_default_writer",
                     "histogram",
                     "histogram_pb",
                     "image",
                     "image_pb",
                     "merge",
                     "scalar",
                     "scalar_pb",
                     "to_uint8_images",
]
