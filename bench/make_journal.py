#!/usr/bin/env python3
"""Writes a realistic rollcoach journal (journal.jsonl) for the built-in routine.

A morning and an evening session every day, ending yesterday (or --end): rolling on
the evening of every 7th day (0.5 mm needles), vitamin C paused 48 h and retinol and
the exfoliant 72 h after a roll, steps skipped now and then, a check-in that says
"not today" once in a while (the roll moves to the next day), a few sessions left
unfinished, ratings and notes after many evenings, a new roller every 15 rolls.
The same shape as the journal the criterion benches build (bench/support.rs).

    python3 bench/make_journal.py --sessions 7300 --out DIR/journal.jsonl
"""

import argparse
import datetime as dt
import json
import sys

NOTES = [
    "calm",
    "a little red",
    "slight tingling, gone by morning",
    "dry around the nose",
    "skin looks even",
    "small breakout on the chin",
]
CHECKIN = "check-in: Any active breakout, cold sore or infection where you roll?"


class Rng:
    """xorshift64*, as in bench/support.rs: the same journal every run."""

    def __init__(self, seed=0x9E3779B97F4A7C15):
        self.s = seed

    def next(self):
        m = (1 << 64) - 1
        self.s ^= self.s >> 12
        self.s ^= (self.s << 25) & m
        self.s ^= self.s >> 27
        return (self.s * 0x2545F4914F6CDD1D) & m

    def chance(self, p):
        return (self.next() >> 11) / float(1 << 53) <= p

    def below(self, n):
        return self.next() % n


def stamp(t):
    return t.isoformat()


def session(routine, day, started, steps, declined, rng):
    unfinished = rng.chance(0.02)
    keep = 1 + rng.below(len(steps) - 1) if unfinished else len(steps)
    records, total, past_roll = [], 0, False
    for name, kind, secs in steps[:keep]:
        past_roll = past_roll or kind == "roll"
        reason = None
        # The check-in skips the Roll step and the rolling-day steps after it.
        if declined and past_roll and kind in ("roll", "sanitize"):
            status, secs, reason = "skipped", 0, CHECKIN
        elif kind != "roll" and rng.chance(0.04):
            status, secs = "skipped", rng.below(5)
        elif rng.chance(0.2):
            status, secs = "done", secs * (50 + rng.below(50)) // 100
        else:
            status = "done"
        total += secs + rng.below(20)
        step = {"name": name, "kind": kind, "status": status, "secs": secs}
        if reason:
            step["reason"] = reason
        records.append(step)
    ended = started + dt.timedelta(seconds=total)
    rolled = any(s["kind"] == "roll" and s["status"] == "done" for s in records)
    record = {
        "type": "session",
        "routine": routine,
        "day": day.isoformat(),
        "started": stamp(started),
        "ended": stamp(ended),
        "complete": not unfinished,
        "steps": records,
    }
    return record, ended, rolled


def records(sessions, last, tz):
    days = (sessions + 1) // 2
    day = last - dt.timedelta(days=days - 1)
    rng = Rng()
    last_roll_end = last_roll_day = None
    rolls_on_roller = written = 0

    def at(d, hour, minute):
        return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)

    def paused(hours, t):
        return last_roll_end is not None and t < last_roll_end + dt.timedelta(hours=hours)

    while written < sessions:
        start = at(day, 7, 15 + rng.below(45))
        steps = [("Cleanse", "cleanse", 60)]
        if not paused(48, start):
            steps.append(("Vitamin C serum", "serum", 60))
        steps += [("Moisturise", "moisturise", 60), ("Sunscreen", "protect", 30)]
        record, _, _ = session("morning", day, start, steps, False, rng)
        yield record
        written += 1
        if written == sessions:
            break

        start = at(day, 20 + rng.below(2), rng.below(60))
        rolling = last_roll_day is None or (day - last_roll_day).days >= 7
        steps = [("Cleanse", "cleanse", 90)]
        if rolling:
            steps += [
                ("Sanitize roller", "sanitize", 300),
                ("Roll", "roll", 165),
                ("Disinfect roller", "sanitize", 300),
            ]
        steps.append(("Hyaluronic serum", "serum", 60))
        if not rolling and not paused(72, start):
            steps.append(("Retinol", "treatment", 30))
        if day.weekday() in (1, 4) and not paused(72, start):
            steps.append(("Exfoliant", "treatment", 30))
        steps.append(("Moisturise", "moisturise", 60))
        declined = rolling and rng.chance(0.03)
        record, ended, rolled = session("evening", day, start, steps, declined, rng)
        if rolled:
            last_roll_end, last_roll_day = ended, day
            rolls_on_roller += 1
        note = record["complete"] and rng.chance(0.4)
        yield record
        written += 1
        if note:
            extra = {
                "type": "session_note",
                "routine": "evening",
                "started": record["started"],
                "rating": 1 + rng.below(5),
            }
            if rng.chance(0.5):
                extra["note"] = NOTES[rng.below(len(NOTES))]
            yield extra
        if rolls_on_roller == 15:
            rolls_on_roller = 0
            yield {"type": "roller_replaced", "at": stamp(at(day + dt.timedelta(days=1), 9, 0))}
        day += dt.timedelta(days=1)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=7300, help="sessions to write (two a day)")
    p.add_argument("--end", help="the last day, YYYY-MM-DD (default: yesterday)")
    p.add_argument("--out", help="the file to write (default: standard output)")
    args = p.parse_args()
    now = dt.datetime.now().astimezone()
    # The day before rollcoach's today (a day starts at 04:00, as in the built-in routine).
    today = (now - dt.timedelta(hours=4)).date()
    last = dt.date.fromisoformat(args.end) if args.end else today - dt.timedelta(days=1)
    tz = now.tzinfo
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    with out:
        for record in records(args.sessions, last, tz):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
