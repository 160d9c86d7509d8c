"""An upload handler that stops reading a request body once a file goes over a size."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class MaxSizeUploadHandler(FileUploadHandler):
    """Put first in `request.upload_handlers` (before the body is read, so before CSRF checks it):
    the upload is abandoned at `max_bytes` instead of being written to disk whole."""

    def __init__(self, request, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes, self.received, self.exceeded = max_bytes, 0, False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data  # passed on to the next handler, which stores it

    def file_complete(self, file_size):
        return None
