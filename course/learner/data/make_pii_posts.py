"""Make the labelled synthetic posts of module 6 (oversharing and confidentiality).

Six files, all invented (names, numbers, handles; phone numbers, IBANs and booking
references are random and belong to nobody). Seeded: `python course/learner/data/make_pii_posts.py`.

pii_posts.csv: posts, some of which reveal personal data, labelled by kind.
- post_id, text
- phone, email, iban, date, flight, boarding_pass: 1 if the post reveals that kind:
  a phone number; an email address; a bank account number (IBAN); a calendar date
  (14/07, 14 July); a flight number (AF1234); a boarding pass (a photo of one, or the
  text of its barcode, which starts with M1 and the passenger's name).
  Decoys (a ski pass, a room number, a price, a year) are labelled 0 everywhere.

kim_drafts.csv: six public posts Kim is about to publish (post_id, text), on which the
learner decides what to hold back after reading the detector's alarms: some alarms are
false (a product code, "24/7"), and one real risk has no pattern (a passport photo).
Which posts to hold back is the exercise: that answer lives in the source notebook only.

osint_posts.csv: public posts scattered over several networks, and what each gives away.
- post_id, network, handle, text, clue (what the post reveals), value (the detail itself).
osint_handles.csv: which person is behind each handle, as an attacker would work out
from the same profile photo or name (network, handle, person).

internal_posts.csv: drafts by employees of the fictitious Norda Logistics.
- post_id, audience (who the author meant it for), text.
colleague_posts.csv: drafts about colleagues, some telling their health, political
opinions, religion or union membership (GDPR art. 9 special categories), some fine to post.
- post_id, audience, text.
Which drafts reveal internal information, and which tell a colleague's private life, are
the exercises: those answers live in the module 6 source notebook only, not here.
"""

from __future__ import annotations

import random
from pathlib import Path

from course.learner.data import write_csv

SEED = 20261105
HERE = Path(__file__).parent
KINDS = ["phone", "email", "iban", "date", "flight", "boarding_pass"]

PLACES = ["Lisbon", "Rome", "Oslo", "Madrid", "Athens", "Porto", "Dublin", "Vienna"]
NAMES = ["Sam", "Noa", "Lou", "Eden", "Kim", "Ali", "Maxime", "Charlie"]
SURNAMES = ["RIVERA", "PETIT", "MOREAU", "GARNIER", "FAURE", "ROUX", "BLANC", "CHEVALIER"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
AIRLINES = ["AF", "TP", "KL", "LH", "BA", "IB", "VY"]
AIRPORTS = ["CDG", "ORY", "LIS", "FCO", "OSL", "MAD", "ATH", "OPO", "DUB", "VIE"]
EMAIL_DOMAINS = ["mailbox.example", "inbox.example", "post.example"]


def phone(rng: random.Random) -> str:
    digits = [f"{rng.randint(0, 99):02d}" for _ in range(4)]
    mobile = rng.choice("67")
    return rng.choice([
        f"0{mobile} {' '.join(digits)}",
        f"0{mobile}.{'.'.join(digits)}",
        f"0{mobile}{''.join(digits)}",
        f"+33 {mobile} {' '.join(digits)}",
    ])


def email(rng: random.Random) -> str:
    return f"{rng.choice(NAMES).lower()}.{rng.choice(SURNAMES).lower()}{rng.randint(1, 99)}@{rng.choice(EMAIL_DOMAINS)}"


def iban(rng: random.Random, country: str) -> str:
    # Real IBAN lengths per country (FR 27, DE 22, BE 16, ES 24); digits are random.
    length = {"FR": 27, "DE": 22, "BE": 16, "ES": 24}[country]
    body = f"{country}{rng.randint(10, 99)}" + "".join(str(rng.randint(0, 9)) for _ in range(length - 4))
    return " ".join(body[i:i + 4] for i in range(0, len(body), 4))


def date(rng: random.Random) -> str:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return rng.choice([f"{day:02d}/{month:02d}", f"{day}/{month}/2027", f"{day} {MONTHS[month - 1]}",
                       f"{MONTHS[month - 1]} {day}"])


def flight(rng: random.Random) -> str:
    return f"{rng.choice(AIRLINES)}{rng.randint(100, 9999)}"


def barcode(rng: random.Random) -> str:
    """The text of a boarding pass barcode (IATA BCBP): M1, name, booking reference, route, flight."""
    ref = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    route = "".join(rng.sample(AIRPORTS, 2))
    return (f"M1{rng.choice(SURNAMES)}/{rng.choice(NAMES).upper()} E{ref} {route}{rng.choice(AIRLINES)} "
            f"{rng.randint(100, 9999):04d} {rng.randint(1, 365):03d}Y{rng.randint(1, 40):03d}C")


# (template, kinds it reveals). Fields in braces are filled at random.
TEMPLATES = [
    ("Lost my wallet near the station, if found please call {phone}", {"phone"}),
    ("New number! Text me at {phone} from now on", {"phone"}),
    ("Selling my old bike, 80 EUR, call {phone} after 6pm", {"phone"}),
    ("Babysitter needed on Saturdays, ring {phone}", {"phone"}),
    ("Garage sale this weekend, questions: {phone} or {email}", {"phone", "email"}),
    ("Drop me a line at {email} for the photos of the wedding", {"email"}),
    ("My personal address is {email} if you want the recipe", {"email"}),
    ("Send your CV to {email}, I'll pass it on", {"email"}),
    ("Flatmate wanted, write to {email}", {"email"}),
    ("For the birthday present pot, transfer to {iban_fr}, thanks all!", {"iban"}),
    ("Pay the deposit for the cottage here: {iban_fr}", {"iban"}),
    ("Finally got my German account, IBAN {iban_de}", {"iban"}),
    ("Team fees for the season go to {iban_be}", {"iban"}),
    ("Refund me the concert tickets on {iban_es} please", {"iban"}),
    ("Raffle money to {iban_fr}, draw on {date}", {"iban", "date"}),
    ("We are away from {date} to {date}, the house is all ours to forget!", {"date"}),
    ("Moving out on {date}, new place is so much bigger", {"date"}),
    ("Surgery booked for {date}, wish me luck", {"date"}),
    ("Our wedding anniversary is on {date}, big party at home", {"date"}),
    ("Kids at grandma's until {date}, quiet house at last", {"date"}),
    ("Booked {flight} to {place} on {date}, can't wait", {"flight", "date"}),
    ("{flight} delayed again, stuck at the airport", {"flight"}),
    ("Taking {flight} tonight, see you in {place}", {"flight"}),
    ("On board {flight}, phone off for three hours", {"flight"}),
    ("Pick me up at arrivals, {flight} lands at noon", {"flight"}),
    ("Boarding pass ready! {place} here I come (photo)", {"boarding_pass"}),
    ("Look at my boarding pass, first time in business class (photo)", {"boarding_pass"}),
    ("Ma carte d'embarquement pour {place} (photo)", {"boarding_pass"}),
    ("Scan me lol: {barcode}", {"boarding_pass"}),
    ("Seat upgrade!! {barcode}", {"boarding_pass"}),
    ("Boarding pass + passport, all set for {place} on {date} (photo)", {"boarding_pass", "date"}),
    ("Check-in done for {flight}, here is my boarding pass (photo)", {"flight", "boarding_pass"}),
]

DECOYS = [
    "Best ski pass deal of the season, 3 days in the Alps",
    "My Navigo pass expired, back to buying tickets",
    "The new A320 cabins are really comfortable",
    "My flight was smooth, the crew were lovely",
    "Our room 2045 has a view of the sea",
    "Sold my PS5 for 250 EUR, bought a bike instead",
    "Read 42 books in 2026, new record",
    "Boarding school reunion photos are up",
    "Gate closed just as we arrived, classic",
    "The new phone has a great camera, 50 megapixels",
    "What is an IBAN anyway? Asking for a friend",
    "Ran 10 km in 52 minutes this morning",
    "Coffee with the team, best part of Mondays",
    "Finished the 1000 piece puzzle with the kids",
    "Our street party was a great success",
    "Watching the match, 3 goals already",
    "Happy to share that I passed my driving test",
    "Kitchen renovation: week 3 of 5",
    "Anyone recommend a good plumber in town?",
    "Sunset from the balcony tonight",
    "Two tickets for the 8pm show, who wants them?",
    "Just adopted a cat, meet Biscuit",
    "Spring cleaning done, 4 bags for the charity shop",
    "Model number XR200 keeps crashing, any tips?",
    "Happy birthday to my sister!",
    "New recipe: lemon tart with 300 g of flour",
    "Lovely walk by the river with friends",
    "Mail me a postcard from your holidays!",
]


def fill(template: str, rng: random.Random) -> str:
    out = template
    makers = {
        "{phone}": lambda: phone(rng), "{email}": lambda: email(rng), "{date}": lambda: date(rng),
        "{iban_fr}": lambda: iban(rng, "FR"), "{iban_de}": lambda: iban(rng, "DE"),
        "{iban_be}": lambda: iban(rng, "BE"), "{iban_es}": lambda: iban(rng, "ES"),
        "{flight}": lambda: flight(rng), "{place}": lambda: rng.choice(PLACES),
        "{barcode}": lambda: barcode(rng),
    }
    for field, make in makers.items():
        while field in out:
            out = out.replace(field, make(), 1)
    return out


def pii_rows(rng: random.Random) -> list[dict]:
    posts = [(fill(t, rng), kinds) for t, kinds in TEMPLATES]
    posts += [(text, set()) for text in DECOYS]
    rng.shuffle(posts)
    return [{"post_id": f"P{i + 1:03d}", "text": text, **{k: int(k in kinds) for k in KINDS}}
            for i, (text, kinds) in enumerate(posts)]


# Scattered public posts: each harmless alone, together a map of someone's life.
OSINT = [
    # network, handle, text, clue, value
    ("linkedin", "Sam R.", "Thrilled to start as a freight buyer at Norda Logistics!", "employer", "Norda Logistics"),
    ("linkedin", "Sam R.", "Thanks to my manager Dana K. for the warm welcome", "manager", "Dana K."),
    ("instagram", "sam.rvr", "Our new house on rue des Tilleuls, finally!", "street", "rue des Tilleuls"),
    ("strava", "sam_runs", "Morning loop from home, 6 km around rue des Tilleuls", "street", "rue des Tilleuls"),
    ("instagram", "sam.rvr", "Counting down: Lisbon from 3 to 17 August!", "away_dates", "3-17 August"),
    ("x", "samrivera_", "Out of office 3-17 Aug, the house plants will have to cope", "away_dates", "3-17 August"),
    ("facebook", "Sam Rivera", "Happy 5th birthday to our dog Pixel", "pet_name", "Pixel"),
    ("facebook", "Sam Rivera", "Thanks for all the wishes on my birthday, 12 March!", "birthday", "12 March"),
    ("x", "samrivera_", "Best croissants in Lyon are at the corner bakery", "town", "Lyon"),
    ("instagram", "sam.rvr", "Sunday brunch with the family", "none", ""),
    ("linkedin", "Noa P.", "Proud to join the finance team of Bexley Foods", "employer", "Bexley Foods"),
    ("instagram", "noa.pt", "Home sweet home in Nantes", "town", "Nantes"),
    ("facebook", "Noa Petit", "Our cat Mocha says hello", "pet_name", "Mocha"),
    ("x", "noapetit", "Ski week in Tignes from 14 to 21 February", "away_dates", "14-21 February"),
    ("strava", "lou_bikes", "Commute by bike to the Orvane Retail warehouse", "employer", "Orvane Retail"),
    ("instagram", "lou.g", "Coffee break", "none", ""),
]

HANDLES = [
    ("linkedin", "Sam R.", "Sam R."), ("instagram", "sam.rvr", "Sam R."), ("strava", "sam_runs", "Sam R."),
    ("x", "samrivera_", "Sam R."), ("facebook", "Sam Rivera", "Sam R."),
    ("linkedin", "Noa P.", "Noa P."), ("instagram", "noa.pt", "Noa P."), ("facebook", "Noa Petit", "Noa P."),
    ("x", "noapetit", "Noa P."), ("strava", "lou_bikes", "Lou G."), ("instagram", "lou.g", "Lou G."),
]

KIM = [
    "Boarding pass ready, Lisbon here I come! (photo)",
    "My XR200 speaker keeps disconnecting, any tips?",
    "Away from 3 to 17 August, the key is under the mat for the cat sitter",
    "Our shop's help line is open 24/7, the number is on our website",
    "Finally got my new passport, look how bad the photo is! (photo)",
    "My lemon tart recipe: 3 lemons, 2 eggs and a lot of butter",
]

INTERNAL = [
    # audience, text
    ("Public", "We're hiring two warehouse team leaders in Lyon, apply on our careers page!"),
    ("Public", "Norda Logistics opens its new Lille hub today (press release), proud to be part of it"),
    ("Friends", "Sneak peek: the new Norda tracking app we launch next spring (screenshot)"),
    ("Public", "Great article on rail freight and carbon costs, worth a read"),
    ("Friends", "Bexley Foods pays us 1.2 million a year and still complains, unbelievable"),
    ("Public", "Our team will be at the SITL transport fair in Paris, come and say hi"),
    ("Close friends", "Between us: three depots close next year, the staff don't know yet"),
    ("Public", "Quarter's numbers on my screen look great, guess the figure (photo of the dashboard)"),
    ("Public", "Congratulations to my colleague Lea on her logistics award, announced by the jury today"),
    ("Group of 30 ex-colleagues", "Orvane Retail's truck got stolen at our depot again, their security is a joke"),
    ("Public", "Ten tips to pack a moving box, from our company blog"),
    ("Friends", "Door code of the Lyon warehouse changed again, it's 4471 now, so I remember"),
]

COLLEAGUES = [
    # audience, text
    ("Friends", "Get well soon Malik! Chemo is tough, the whole depot misses you"),
    ("Public", "Congratulations to Lea on her logistics award, announced by the jury today"),
    ("Public", "Saw our manager Dana handing out leaflets for her party at the market, who knew!"),
    ("Public", "Welcome to Sacha, who joins the Lyon team this week!"),
    ("Public", "Guess who just joined the union at the Lyon depot? Jo, of course!"),
    ("Friends", "Karim is fasting for Ramadan, so let's move the team lunch to a dinner"),
]


def write(name: str, rows: list[dict]) -> None:
    write_csv(HERE / name, rows)
    print(f"wrote {len(rows)} rows to {HERE / name}")


def main() -> None:
    rng = random.Random(SEED)
    write("pii_posts.csv", pii_rows(rng))
    write("kim_drafts.csv", [{"post_id": f"K{i + 1:02d}", "text": t} for i, t in enumerate(KIM)])
    write("osint_posts.csv", [{"post_id": f"S{i + 1:02d}", "network": n, "handle": h, "text": t,
                               "clue": c, "value": v} for i, (n, h, t, c, v) in enumerate(OSINT)])
    write("osint_handles.csv", [{"network": n, "handle": h, "person": p} for n, h, p in HANDLES])
    write("internal_posts.csv", [{"post_id": f"D{i + 1:02d}", "audience": a, "text": t}
                                 for i, (a, t) in enumerate(INTERNAL)])
    write("colleague_posts.csv", [{"post_id": f"C{i + 1:02d}", "audience": a, "text": t}
                                  for i, (a, t) in enumerate(COLLEAGUES)])


if __name__ == "__main__":
    main()
