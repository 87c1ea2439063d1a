"""Train the check-worthiness scorer: `manage.py train_checkworthy --train T --dev D`."""

import json

from django.core.management.base import BaseCommand, CommandError

from factcheck.extract.checkworthy import train
from factcheck.extract.checkworthy.model import MODEL_DIR


class Command(BaseCommand):
    help = (
        "Train the claim scorer on CheckThat!-format TSVs with a fixed seed; epochs and the "
        "threshold are chosen out of fold over --train (blocks of debates), and dev / dev-test "
        "F1 (Yes class) are only reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--train", required=True)
        parser.add_argument("--dev", required=True)
        parser.add_argument("--dev-test")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", default=str(MODEL_DIR),
                            help="where to write model.npz/model.json (default: ship dir)")
        parser.add_argument("--cache", help="directory to keep parsed Docs between runs")
        parser.add_argument("--vectors", default=str(MODEL_DIR),
                            help="directory holding vectors.npz ('' for none); build it with "
                                 "python -m factcheck.extract.checkworthy vectors")
        parser.add_argument("--config", help="JSON object overriding TrainConfig fields")

    def handle(self, *args, **options):
        try:
            overrides = json.loads(options["config"]) if options["config"] else None
        except ValueError as exc:
            raise CommandError(f"--config is not JSON: {exc}") from exc
        try:
            train.run(options["train"], options["dev"], options["dev_test"],
                      seed=options["seed"], out=options["out"], cache=options["cache"],
                      vectors_dir=options["vectors"],
                      overrides=overrides, stdout=self.stdout)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
