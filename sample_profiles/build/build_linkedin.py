"""Build the LinkedIn sample: the data export of "Priya Natarajan", an invented robotics engineer who
builds warehouse robots, writes about control theory, mentors juniors and gives conference talks.

    python sample_profiles/build/build_linkedin.py

writes ``sample_profiles/linkedin/Basic_LinkedInDataExport_03-11-2026.zip`` the way LinkedIn zips it:
CSV files at the top level, ``Shares.csv`` among ``Profile.csv``, ``Connections.csv`` (with e-mail
addresses that must never be read), ``Comments.csv``, ``Reactions.csv`` and ``Skills.csv``. Same input,
same bytes.

Quirks present: multi-line posts with every line quoted on its own inside the CSV field (the stray
doubled quotes: three quotes open the field, each line sits between doubled quotes, an empty line is
four quotes), quotation marks inside such posts, "mathematical bold" headlines (𝗟𝗶𝗸𝗲 𝘁𝗵𝗶𝘀),
hashtags, links, reposts of other people's posts without a word of her own. Own posts with text: 41
(48 rows, 7 of them bare reposts).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from meta_export import write_zip

OUT = Path(__file__).resolve().parents[1] / "linkedin"
ZIP_NAME = "Basic_LinkedInDataExport_03-11-2026.zip"
SHARE_URL = "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A{}"


def bold(text: str) -> str:
    """ASCII letters and digits as Unicode "mathematical sans-serif bold", as LinkedIn posters write them."""
    out = []
    for ch in text:
        if "A" <= ch <= "Z":
            out.append(chr(0x1D5D4 + ord(ch) - ord("A")))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D5EE + ord(ch) - ord("a")))
        elif "0" <= ch <= "9":
            out.append(chr(0x1D7EC + ord(ch) - ord("0")))
        else:
            out.append(ch)
    return "".join(out)


# (UTC time, her words or "" for a bare repost, shared URL). Lines are separated by "\n".
SHARES: list[tuple[str, str, str]] = [
    ("2021-02-08 08:14:22", "Day one at the new job: my team builds the autonomous mobile robots that move "
     "shelves around fulfilment centres. I have never been this excited about a conveyor belt. #robotics", ""),
    ("2021-03-04 10:11:12", bold("Why PID still wins in the warehouse") + "\nEveryone wants model predictive "
     "control. But a well-tuned PID loop on the drive wheels beats a fancy controller that nobody on the "
     "night shift can debug.\n\nKeep it simple, then measure. #controltheory #robotics", ""),
    ("2021-03-29 16:40:05", "", "https://spectrum.ieee.org/warehouse-robots"),
    ("2021-04-19 07:55:41", "Mentoring tip I wish I had heard earlier: write down what you tried before "
     "asking for help. Half the time you will find the answer while writing.", ""),
    ("2021-05-12 12:02:17", "Our fleet passed 1 million autonomous kilometres this week. Not one of them "
     "without a human who cared about the details.\nThank you to the field engineers who answer the pager at "
     "3am.\n#robotics #teamwork", ""),
    ("2021-06-23 09:30:00", "Reading list for anyone starting in mobile robotics:\n1. Probabilistic Robotics "
     "(Thrun, Burgard, Fox)\n2. Feedback Systems (Astrom & Murray)\n3. The ROS 2 docs, cover to cover\n\nAdd "
     "yours below.", ""),
    ("2021-07-15 14:18:52", "Gave my first conference talk today at the Nordic Robotics Summit: how we tune "
     "localisation for aisles that look identical. Terrified for 5 minutes, then it was fun.", ""),
    ("2021-08-30 11:45:33", "", "https://www.therobotreport.com/amr-market-2021"),
    ("2021-09-21 08:05:10", bold("Lessons from 5 years of warehouse robots") + "\n- Floors are never flat\n"
     "- Wi-Fi is never there when you need it\n- People will always stand in the one place you did not plan "
     "for\n\nDesign for the messy world.", ""),
    ("2021-10-14 17:22:48", "A junior engineer asked me whether it is normal to feel lost in the first year. "
     "Yes. It is normal in the fifth year too. The trick is getting lost more efficiently.", ""),
    ("2021-11-26 13:37:04", "Stability margins are not academic trivia. We shipped a controller with 12 degrees "
     "of phase margin once. The robots danced. Not in a good way. #controltheory", ""),
    ("2022-01-10 09:12:29", "New year, new robot: our next-generation lift unit picks up 1.5 tonnes and "
     "still fits under a standard rack. Proud of this team.", ""),
    ("2022-02-22 15:50:16", "Hot take: the best robotics engineers I know spend more time on the warehouse "
     "floor than in the simulator.\n\"Go and look\" is still the most underrated debugging tool.", ""),
    ("2022-03-08 08:00:00", "On International Women's Day: to every young woman who was told robotics is not "
     "for her, it is. Come build with us. #womeninengineering #IWD2022", ""),
    ("2022-04-05 10:26:39", "", "https://arxiv.org/abs/2204.01234"),
    ("2022-04-28 18:14:55", "Spent the afternoon explaining Kalman filters with a cup of tea and two "
     "sugar cubes. Best whiteboard I have had in years.", ""),
    ("2022-06-02 07:48:21", "Speaking at ROSCon next month about fleet-level traffic management: "
     "deadlock-free routing for 400 robots in one building. Come say hi!", ""),
    ("2022-07-19 12:33:47", bold("Mentoring is a two-way street") + "\nMy mentee taught me more about "
     "property-based testing than any course.\nMy job was mostly to ask \"why\" three times.", ""),
    ("2022-08-24 16:09:03", "Slides from my ROSCon talk are up. The short version: give every robot a "
     "reservation of the aisle before it enters, and most of your deadlocks disappear.", ""),
    ("2022-10-11 09:41:30", "Control theory in one sentence: measure what happened, compare with what you "
     "wanted, correct a little, repeat forever. Works for robots. Works for careers too.", ""),
    ("2022-11-29 14:55:12", "", "https://www.linkedin.com/pulse/future-of-fulfilment"),
    ("2023-01-17 08:20:44", "Hiring! We are looking for two controls engineers who like both maths and "
     "hardware that occasionally catches fire (it rarely does). #hiring #robotics", ""),
    ("2023-02-28 11:11:11", bold("3 things I look for in a robotics interview") + "\n1. Can you explain a "
     "trade-off you got wrong?\n2. Have you touched real hardware?\n3. Do you ask about the people who will "
     "use it?", ""),
    ("2023-04-13 17:35:27", "Visited a customer site where our robots work next to pickers all night. "
     "One picker named her robot Rocket and says good morning to it. That is the review I care about.", ""),
    ("2023-05-25 10:02:59", "Gave a guest lecture on nonlinear control at my old university. The students "
     "asked better questions than most design reviews. The future is fine.", ""),
    ("2023-07-06 13:47:36", "Safety is a feature, not a phase.\nOur emergency stop path is the most tested "
     "code we own.\nIt should be yours too.", ""),
    ("2023-08-21 09:15:08", "", "https://www.youtube.com/watch?v=warehouse-demo"),
    ("2023-09-14 15:28:19", "Three years of mentoring circles at work: 46 engineers, 9 promotions, countless "
     "rubber-duck sessions. Starting round four next month, ping me if you want to join.", ""),
    ("2023-10-26 08:44:50", "Keynote at the Warehouse Automation Forum next week: 'Robots that forgive "
     "humans'. Designing motion planning that expects the unexpected person in the aisle.", ""),
    ("2023-12-05 19:03:41", bold("Year in review") + "\n- 2 new robot models shipped\n- 1 keynote\n- 12 mentees\n"
     "- 0 robots lost (one was found behind a pallet of dog food)\n\nGrateful for this team.", ""),
    ("2024-01-23 10:37:14", "Model predictive control finally earned its place in our stack: the lift "
     "unit now plans its acceleration around a wobbling load. PID still runs the wheels. Both can be true.", ""),
    ("2024-03-06 12:58:02", "Unpopular opinion: your robot does not need more sensors. It needs better "
     "calibration of the ones it has.", ""),
    ("2024-04-18 16:22:35", "Proud mentor moment: two of my mentees presented their first conference paper "
     "today. I sat in the back row and clapped too loudly.", ""),
    ("2024-06-11 08:09:27", "", "https://www.ieee-ras.org/conferences-workshops"),
    ("2024-07-30 14:41:06", "Wrote up our approach to fleet charging schedules: treat the chargers as a "
     "shared resource with a queue, not as a place robots go when they feel like it. Link in comments.", ""),
    ("2024-09-17 11:19:48", "A reminder for new engineers: the datasheet is a promise, the oscilloscope is "
     "the truth.", ""),
    ("2024-11-07 09:52:33", bold("Talk announcement") + "\nI am speaking at ICRA 2025 on learning-based "
     "friction compensation for mobile bases.\nSpoiler: the floor is always dustier than the model thinks.",
     ""),
    ("2025-01-14 17:06:21", "Ten years since my first robot: a line follower made of cardboard and a "
     "borrowed Arduino. Still have it on my desk.", ""),
    ("2025-03-03 08:31:57", "Our warehouse robots now share maps across sites, so a new building is "
     "mapped in hours instead of days. Huge effort by the localisation team. #robotics #slam", ""),
    ("2025-05-22 13:14:45", "Back from ICRA. Best conversation was not in a session but at the coffee "
     "queue, about why nobody publishes the experiments that failed.", ""),
    ("2025-07-09 10:48:10", "If you are mentoring someone, stop giving answers for a week. Ask questions "
     "instead. It is harder and it works.", ""),
    ("2025-09-02 15:35:38", bold("What control theory taught me about leadership") + "\n- Small, frequent "
     "corrections beat big late ones\n- Delay makes everything unstable\n- Know your gain margins, and your "
     "team's", ""),
    ("2025-10-20 09:00:52", "Our robots moved 40 million parcels during peak season without a single "
     "safety incident. That number belongs to everyone who said \"wait, let us test that again\".", ""),
    ("2025-12-15 18:27:16", "Closing the year by handing over my mentoring circle to two people I once "
     "mentored. Best possible outcome.", ""),
    ("2026-01-20 08:53:09", "Starting 2026 with a new role: leading motion control for the whole fleet. "
     "Same robots, bigger whiteboard. #newrole #robotics", ""),
    ("2026-02-12 11:40:24", "Quick poll in my head: how many of our bugs were really timing bugs? "
     "All of them. The answer is always all of them.", ""),
    ("2026-03-02 16:12:47", "Looking forward to mentoring at the Robotics Summer School in Aarhus this year. "
     "Bring your hardest control questions.", ""),
    ("2026-03-09 07:59:31", "", "https://www.linkedin.com/pulse/amr-safety-standards"),
]


def linkedin_commentary(text: str) -> str:
    """The commentary as LinkedIn stores it: each line of a multi-line post quoted on its own."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return "\n".join('"' + line.replace('"', '""') + '"' for line in lines)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build() -> Path:
    share_rows = []
    for n, (when, words, shared) in enumerate(reversed(SHARES)):
        share_rows.append([when, SHARE_URL.format(7041234567890120000 + n * 7919), linkedin_commentary(words),
                           shared, "", "MEMBER_NETWORK" if n % 3 else "PUBLIC"])
    connections = (
        b"Notes:\n"
        b"\"When exporting your connection data, you may notice that some of the email addresses are missing. "
        b"You will only see email addresses for connections who have allowed their connections to see or "
        b"download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
        b"You can learn more here https://www.linkedin.com/help/linkedin/answer/261\"\n\n"
    ) + _csv(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
        [["Arjun", "Mehta", "https://www.linkedin.com/in/arjun-mehta-example", "arjun.mehta@example.com",
          "Fleetworks", "Controls Engineer", "12 Mar 2021"],
         ["Lena", "Fischer", "https://www.linkedin.com/in/lena-fischer-example", "lena.f@example.org",
          "Nordic Robotics", "Research Scientist", "03 Aug 2022"],
         ["Tomás", "Ortega", "https://www.linkedin.com/in/tomas-ortega-example", "",
          "Warehouse Systems", "Field Engineer", "19 Jan 2024"]],
    )
    members = [
        ("Profile.csv", _csv(
            ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
             "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"],
            [["Priya", "Natarajan", "", "", "", "Robotics engineer, motion control for warehouse robots",
              "I build robots that move shelves.", "Automation Machinery Manufacturing", "",
              "Copenhagen, Capital Region of Denmark, Denmark", "", "", ""]])),
        ("Connections.csv", connections),
        ("Comments.csv", _csv(["Date", "Link", "Message"], [
            ["2024-04-19 08:12:30", "https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A7187",
             "So proud of you both! The friction model slide was the best of the session."]])),
        ("Reactions.csv", _csv(["Date", "Type", "Link"], [
            ["2025-05-23 09:00:00", "LIKE", "https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A7331"]])),
        ("Shares.csv", _csv(["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"],
                            share_rows)),
        ("Skills.csv", _csv(["Name"], [["Control Theory"], ["ROS"], ["Motion Planning"], ["Mentoring"]])),
    ]
    return write_zip(OUT / ZIP_NAME, members, date_time=(2026, 3, 11, 7, 30, 0))


if __name__ == "__main__":
    print(build())
