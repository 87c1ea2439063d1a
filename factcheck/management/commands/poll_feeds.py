"""`manage.py poll_feeds`: poll the RSS/Atom feeds that are due, and sweep stuck extractions.

Run it from cron or a systemd timer (every 5 minutes is plenty; each feed has its own
interval), or start the self-rescheduling task once with `--schedule`.
"""

from django.core.management.base import BaseCommand, CommandError

from factcheck.ingest.feeds import poll_due, poll_feed
from factcheck.ingest.queueing import sweep_stuck_extractions
from factcheck.ingest.tasks import schedule_housekeeping, sweep_stuck_batches
from factcheck.models import Feed


class Command(BaseCommand):
    help = "Poll due feeds (conditional GET), ingest new entries, re-queue stuck extractions."

    def add_arguments(self, parser):
        parser.add_argument("--all", dest="all_feeds", action="store_true",
                            help="Poll every active feed now, unconditionally (no ETag/Last-Modified).")
        parser.add_argument("--feed", type=int, action="append", default=[],
                            help="Poll only this feed id (repeatable), unconditionally.")
        parser.add_argument("--no-sweep", action="store_true", help="Do not sweep stuck extractions.")
        parser.add_argument("--schedule", action="store_true",
                            help="Instead of polling here, queue the housekeeping task that polls and "
                                 "re-schedules itself every --interval minutes (database task backend).")
        parser.add_argument("--interval", type=int, default=5, help="Minutes between scheduled runs.")

    def handle(self, *args, all_feeds=False, feed=(), no_sweep=False, schedule=False, interval=5, **options):
        if schedule:
            if interval < 1:
                raise CommandError("--interval must be at least 1 minute.")
            queued = schedule_housekeeping(interval)
            self.stdout.write("Housekeeping scheduled." if queued else
                              "Housekeeping is already scheduled (or the task backend cannot defer).")
            return
        failed = 0
        if all_feeds or feed:
            feeds = Feed.objects.filter(is_active=True)
            if feed:
                feeds = Feed.objects.filter(pk__in=feed)
                missing = set(feed) - set(feeds.values_list("pk", flat=True))
                if missing:
                    raise CommandError(f"No feed with id {', '.join(map(str, sorted(missing)))}.")
            for f in feeds:
                report = poll_feed(f, force=True)
                failed += bool(report.error)
                self.stdout.write(report.line())
                for error in report.errors:
                    self.stderr.write(f"  {error}")
        else:
            summary = poll_due()
            for line in summary["lines"]:
                self.stdout.write(line)
            failed = summary["failed"]
            self.stdout.write(f"{summary['feeds']} feeds polled: {summary['added']} articles added, "
                              f"{summary['changed']} changed, {failed} feeds failed.")
        if not no_sweep:
            swept = sweep_stuck_extractions()
            if swept:
                self.stdout.write(f"Re-queued {len(swept)} stuck extractions.")
            batches = sweep_stuck_batches()
            if batches:
                self.stdout.write(f"Resumed {len(batches)} interrupted bulk imports.")
        if failed:
            raise CommandError(f"{failed} feed(s) failed; see the errors above and in the admin.")
