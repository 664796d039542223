"""Create the object storage's bucket when STORAGE_URL names one that does not exist yet.

Run at start-up by the web container (deploy/entrypoint.sh) and scripts/cluster; does nothing
on the local folder (the embedded default) or when the bucket is there.
"""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the S3 bucket of STORAGE_URL if it is missing."

    def handle(self, *args, **options):
        bucket = getattr(default_storage, "bucket_name", None)
        if not bucket:
            self.stdout.write("Files on the local disk: no bucket to create.")
            return
        client = default_storage.connection.meta.client
        try:
            client.create_bucket(Bucket=bucket)
        except (client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists):
            self.stdout.write(f"Bucket {bucket} is there.")
            return
        self.stdout.write(f"Bucket {bucket} created.")
