"""What every reader and writer of the file storage shares, local folder or S3 object storage
(STORAGE_URL): the errors that mean "the storage does not answer", and a stream to serve."""

from botocore.exceptions import BotoCoreError, ClientError

# A folder that cannot be written, a full disk, an object storage that is down or refuses:
# the file is not lost (or was not stored), the person is told to try again.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def open_stream(field_file):
    """A file-like over the stored content, to serve in a FileResponse.

    Raises FileNotFoundError when the content is gone, one of STORAGE_ERRORS when the storage
    does not answer: both before any byte is sent. An S3 object is streamed from its GET as it
    arrives, not copied to a temporary file of the web host first.
    """
    handle = field_file.open("rb")
    s3_object = getattr(handle.file, "obj", None)
    if s3_object is None:
        return handle
    try:
        return s3_object.get()["Body"]
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            raise FileNotFoundError(field_file.name) from None
        raise
