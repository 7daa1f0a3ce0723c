"""A fresh interpreter for the code of the notes: verification and executed examples run in a worker.

The MkDocs process (and ``mkdocs serve``, which lives for hours) never imports the implementation
packages nor runs an example. A `Worker` child process does, and is replaced as soon as a file it
loaded changes on disk, so a verdict or an output always comes from the code on disk now.
"""

from studylog.runner.client import Worker, WorkerError, fingerprint
from studylog.runner.protocol import ExampleJob, ExampleOutcome

__all__ = ["ExampleJob", "ExampleOutcome", "Worker", "WorkerError", "fingerprint"]
