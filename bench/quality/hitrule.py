"""Python reference of the semantic hit rule (Sources/SemanticCache/HitRule/).

The Swift code and this file must compute the same features and decisions; fit.py fits the
coefficients here, and `HitRuleSampleTests` checks the Swift rule against hitrule_sample.tsv,
whose expected decisions this file writes (`python hitrule.py --write-sample`).

Everything is computed from the two texts (and their cosine) only:
- tokens: lower-cased runs of letters/digits (plus + # _ and inner . '), hyphens split words;
- stems: a few English suffixes stripped so "painted"/"painting"/"paints" match;
- content words: tokens that are not function words (FUNCTION_WORDS);
- rarity of a word: from its rank in the MiniLM WordPiece vocabulary (BERT's vocabulary lists whole
  words roughly by corpus frequency; CommonWords.swift keeps the first COMMON_RANK_LIMIT of them).
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# English function words plus question scaffolding that does not change what is asked.
FUNCTION_WORDS = set("""
a an the this that these those it its it's they them their theirs he him his she her hers we us our ours
you your yours i me my mine myself yourself yourselves themselves itself himself herself ourselves one ones
is am are was were be been being do does did done doing have has had having
can could will would shall should may might must ca wo
of in on at by for with from to into onto about as than then so and or but nor if because while whether
what which who whom whose when where why how whats what's how's who's where's there here
some any all each every other another such own same
very just also too much many really quite
please tell explain describe summarize summarise discuss give show list know want need help let us like
thing things something someone anyone anything someone's
s t d ll re ve m
""".split())

NEGATIONS = {"not", "no", "never", "none", "nothing", "nobody", "nowhere", "neither", "nor", "without",
             "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont",
             "shouldnt", "wouldnt", "couldnt", "hasnt", "havent", "hadnt"}

# Contrast sets: two different members, one only in each text, make a different question
# (antonyms, and closed classes whose members are never paraphrases of each other: no two members
# of a set may name the same thing, so "newest"/"latest" or "mac"/"macos" are not one set's members).
CONTRAST_SETS = [
    ("best", "worst"), ("good", "bad"), ("better", "worse"), ("more", "less", "fewer"), ("most", "least"),
    ("increase", "decrease"), ("high", "low"), ("higher", "lower"), ("highest", "lowest"),
    ("maximum", "minimum"), ("max", "min"), ("before", "after"), ("above", "below"), ("first", "last"),
    ("long", "short"), ("longer", "shorter"), ("longest", "shortest"), ("large", "small"), ("big", "small"),
    ("larger", "smaller"), ("largest", "smallest"), ("biggest", "smallest"), ("fast", "slow"),
    ("faster", "slower"), ("hot", "cold"), ("early", "late"), ("cheap", "expensive"),
    ("pros", "cons"), ("advantage", "disadvantage"), ("positive", "negative"), ("start", "stop", "end"),
    ("begin", "end"), ("open", "close"), ("buy", "sell"), ("win", "lose"), ("import", "export"),
    ("upload", "download"), ("encrypt", "decrypt"), ("encode", "decode"), ("add", "remove"),
    ("enable", "disable"), ("input", "output"), ("male", "female"), ("man", "woman"), ("men", "women"),
    ("boy", "girl"), ("north", "south"), ("east", "west"), ("left", "right"), ("up", "down"),
    ("push", "pull"), ("true", "false"), ("success", "failure"), ("rich", "poor"), ("old", "young"),
    ("old", "new"), ("oldest", "newest"), ("light", "dark"), ("heavy", "light"), ("strong", "weak"),
    ("inside", "outside"), ("internal", "external"), ("ascending", "descending"), ("synonym", "antonym"),
    ("local", "remote"), ("client", "server"), ("frontend", "backend"), ("singular", "plural"),
    ("horizontal", "vertical"), ("uppercase", "lowercase"), ("send", "receive"), ("past", "future"),
    ("top", "bottom"), ("nearest", "farthest"), ("public", "private"), ("static", "dynamic"),
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"),
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("today", "tomorrow", "yesterday", "tonight"), ("morning", "afternoon", "evening", "night"),
    ("spring", "summer", "autumn", "winter"), ("celsius", "fahrenheit", "kelvin"),
    ("windows", "macos", "linux", "ubuntu", "debian", "android", "ios"),
]

# What kind of answer a question asks for, from its first question word ("who" -> person,
# "in what year" -> time). Two questions asking for different kinds are different questions.
WH_TYPES = {"who": "person", "whom": "person", "whose": "person", "when": "time", "where": "place", "why": "reason"}
WH_NOUN_TYPES = {"year": "time", "decade": "time", "century": "time", "date": "time", "month": "time",
                 "day": "time", "time": "time", "country": "place", "city": "place", "place": "place",
                 "continent": "place", "location": "place", "person": "person", "people": "person"}
HOW_TYPES = {"many": "amount", "much": "amount", "long": "amount", "old": "amount", "far": "amount",
             "big": "amount", "large": "amount", "tall": "amount"}
NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")

# Words that let the order of their two sides swap without changing the question.
SYMMETRIC_CONNECTORS = {"and", "or", "vs", "versus", "v", "&", "with", "between", "plus"}

# Share of the words between two swapped words that must be the same on both sides (Jaccard).
SWAP_PIVOT_OVERLAP = 0.6

# Sentences with nearly the same words in another order ask something else often enough
# (roles swapped across clauses: "A succeeded B as ..." / "B succeeded A as ...") that they are
# never a hit: content-word overlap (Jaccard) at least REORDER_MIN_OVERLAP and at least two word
# pairs no longer next to each other, in prompts that are long (at least REORDER_MIN_WORDS content
# words in both together) or sentences (each has at least as many function words as content words:
# the function words fix who does what). In a short sentence, two neighbouring words that trade
# places move a modifier, not a role ("the capital city of" / "which city is the capital of"), and
# keyword queries reorder freely ("pinned posts list tag:devops" / "list of pinned posts in devops tag").
REORDER_MIN_WORDS = 8
REORDER_MIN_OVERLAP = 0.7

# Follow-up markers: a prompt that starts like this continues an earlier turn.
FOLLOWUP_OPENERS = [
    ("and",), ("but",), ("also",), ("so",), ("then",), ("what", "about"), ("how", "about"),
    ("what", "else"), ("why", "not"), ("and", "what"), ("same",), ("more",), ("ok",), ("okay",),
    ("tell", "me", "more"), ("explain", "more"), ("elaborate",), ("continue",), ("go", "on"),
    ("in", "that", "case"), ("how", "so"), ("why", "so"), ("which", "one"),
]
ANAPHORS = {"it", "its", "it's", "they", "them", "their", "theirs", "this", "that", "these", "those",
            "he", "him", "his", "she", "her", "hers", "there", "former", "latter", "above", "previous"}

# Number words that stand for a single digit string ("one" is left out: mostly a pronoun).
NUMBER_WORDS = {"zero": "0", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}

COMMON_RANK_LIMIT = 8000


def _load_common():
    """Ranks from the word list in CommonWords.swift (written by gen_common_words.py)."""
    path = os.path.join(HERE, "..", "..", "Sources", "SemanticCache", "HitRule", "CommonWords.swift")
    ranks = {}
    if os.path.exists(path):
        text = open(path).read()
        body = text[text.index('list = """') + len('list = """'):text.rindex('"""')]
        for i, w in enumerate(body.split()):
            ranks.setdefault(w, i)
    return ranks


COMMON = _load_common()


def tokenize(text):
    """Lower-cased word tokens. Keeps + # _ (c++, c#, snake_case) and . ' between letters/digits
    (node.js, 3.5, don't); everything else separates tokens."""
    t = text.lower().replace("\u2019", "'")
    out, cur = [], []
    n = len(t)
    for i, ch in enumerate(t):
        if ch.isalnum() or ch in "+#_":
            cur.append(ch)
        elif ch in ".'" and cur and i + 1 < n and t[i + 1].isalnum():
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def stem(w):
    """Strips plural/verb suffixes so inflections of one word compare equal."""
    if w.endswith("'s"):
        w = w[:-2]
    if w.endswith("n't"):
        return w[:-3] + "nt" if w not in ("can't", "won't") else ("cannot" if w == "can't" else "wont")
    if w.isalpha() is False or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    elif w.endswith("es") and len(w) > 4 and w[-3] in "sxzh":
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss") and not w.endswith("us") and not w.endswith("is"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def has_digit(w):
    return any(c.isdigit() for c in w)


def rarity(w):
    """0 for the most common words, rising with log rank, 1 for words outside CommonWords.swift."""
    if has_digit(w) or not w.isalpha():
        return 1.0
    r = COMMON.get(w)
    if r is None:
        return 1.0
    return min(1.0, math.log1p(r) / math.log1p(COMMON_RANK_LIMIT))


class Side:
    """Mirror of PromptWords.swift."""
    __slots__ = ("tokens", "stems", "content", "content_set", "neg", "nums", "is_sentence")

    def __init__(self, text):
        self.tokens = tokenize(text)
        self.stems = [stem(w) for w in self.tokens]
        self.content, nums, self.neg = [], [], False
        for w, s in zip(self.tokens, self.stems):
            if w in NEGATIONS or s in NEGATIONS or w.endswith("n't"):
                self.neg = True
                continue
            if has_digit(w):
                nums.append(w.replace(",", ""))
            elif w in NUMBER_WORDS:
                nums.append(NUMBER_WORDS[w])
            if w not in FUNCTION_WORDS and s not in FUNCTION_WORDS:
                self.content.append((s, w))
        self.content_set = {s for s, _ in self.content}
        self.nums = sorted(nums)
        # A sentence, not a keyword query: at least as many function words as content words.
        self.is_sentence = len(self.tokens) - len(self.content) >= len(self.content)


def is_followup(text):
    """A prompt that cannot be understood without an earlier turn: it opens like a continuation
    ("and in 2020?", "what about its population?") or leans on a pronoun with almost nothing else."""
    s = Side(text)
    toks = s.tokens
    if not toks:
        return True
    for opener in FOLLOWUP_OPENERS:
        if tuple(toks[:len(opener)]) == opener:
            return True
    n_content = len(s.content)
    if n_content == 0:
        return True
    anaphoric = any(w in ANAPHORS for w in toks)
    return anaphoric and n_content <= 2


QUESTION_WORD_WINDOW = 4  # the question word must be among the first tokens ("can you tell me who")
DESCRIBE_WORDS = {"describe", "explain", "summarize", "summarise", "overview", "discuss", "elaborate"}
MANNER_AFTER_HOW = {"do", "does", "did", "can", "could", "should", "would", "to", "is", "are", "was", "were"}
OPEN_TYPES = {"description", "manner", "reason"}


def answer_type(tokens):
    """The kind of answer a prompt asks for, from the question word among its first
    QUESTION_WORD_WINDOW tokens: person, time, place, amount, reason, manner ("how do"),
    description ("explain", "tell me about") or thing:<noun> ("what fruit"); None when it does not say."""
    for i, w in enumerate(tokens[:QUESTION_WORD_WINDOW]):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if w in DESCRIBE_WORDS or (w == "tell" and "about" in tokens[i + 1:i + 4]):
            return "description"
        if w in WH_TYPES:
            return WH_TYPES[w]
        if w in ("what", "which"):
            typed = next((t for k, t in WH_NOUN_TYPES.items() if stem(k) == stem(nxt)), None)
            if typed:
                return typed
            if nxt.isalpha() and nxt not in FUNCTION_WORDS:
                return "thing:" + stem(nxt)
            return None
        if w == "how":
            return HOW_TYPES.get(nxt) or ("manner" if nxt in MANNER_AFTER_HOW else None)
    return None


def kinds_conflict(a, b):
    """Whether answers of kinds a and b cannot both answer one question. Open kinds (description,
    manner, reason) go together ("explain why" / "why"); "what X" goes with another "what Y" (what
    tool / what software), with the open kinds and amount; anything else must match."""
    if a == b:
        return False
    if a in OPEN_TYPES and b in OPEN_TYPES:
        return False
    thing_a, thing_b = a.startswith("thing:"), b.startswith("thing:")
    if thing_a and thing_b:
        return False
    if (thing_a or thing_b) and ({a, b} & (OPEN_TYPES | {"amount"})):
        return False
    return True


def _answer_types(a, b):
    ta, tb = answer_type(a), answer_type(b)
    return (ta, tb) if ta and tb and kinds_conflict(ta, tb) else None


LITERAL_CHARS = set(".:_/-+#@")
LITERAL_MARKS = set(".:_")


def literals(text):
    """Identifier-like chunks: runs of letters, digits and . : _ / - + # @, trimmed of . : / - at
    both ends, of at least 4 characters, with a letter and a . : or _ inside (site:ox.ac.uk,
    tag:kubernetes, sort:top, node.js, README.md, load_dataset). A slash alone does not make one
    ("downloaded/processed" is two words)."""
    out, cur = set(), []
    for ch in text.lower() + " ":
        if ch.isalnum() or ch in LITERAL_CHARS:
            cur.append(ch)
            continue
        chunk = "".join(cur).strip(".:/-")
        cur = []
        if len(chunk) >= 4 and any(c.isalpha() for c in chunk) and any(c in LITERAL_MARKS for c in chunk):
            out.add(chunk)
    return out


def _contrast(only_a, only_b):
    """Two different members of one contrast set, one only in each text ("best"/"worst",
    "June"/"July", "windows"/"linux"), or a word and its negated form ("legal"/"illegal")."""
    for group in CONTRAST_SETS:
        in_a = [w for w in group if stem(w) in only_a]
        in_b = [w for w in group if stem(w) in only_b]
        for x in in_a:
            for y in in_b:
                if stem(x) != stem(y):
                    return f"{x} vs {y}"
    for a in sorted(only_a):
        for b in sorted(only_b):
            for p in NEGATING_PREFIXES:
                if (a == p + b or b == p + a) and min(len(a), len(b)) >= 3:
                    return f"{a} vs {b}"
    return None


def _swap(a, b):
    """Two content words (each once per side) that trade places around the same words: x P y on one
    side, y Q x on the other, where the sets of stems P and Q (the words between them) are not empty
    and overlap by at least SWAP_PIVOT_OVERLAP (Jaccard), or hold the same function words, the
    relation between x and y ("from Paris to Rome" / "from Rome to Paris", "Python faster than Java"
    / "Java faster than Python", "A is the father of B" / "B is the father of A", "from Jenkins to
    GitHub Actions" / "from GitHub Actions to Jenkins"). Pairs across a symmetric connector ("X and
    Y") do not count. Returns the first such (x, y) in query order, or None."""
    pos_a, pos_b = {}, {}
    for i, s in enumerate(a.stems):
        pos_a.setdefault(s, []).append(i)
    for i, s in enumerate(b.stems):
        pos_b.setdefault(s, []).append(i)
    shared = [s for s, _ in a.content if len(pos_a[s]) == 1 and len(pos_b.get(s, ())) == 1]
    shared = list(dict.fromkeys(shared))
    for i in range(len(shared)):
        for j in range(i + 1, len(shared)):
            x, y = shared[i], shared[j]
            ax, ay, bx, by = pos_a[x][0], pos_a[y][0], pos_b[x][0], pos_b[y][0]
            if (ax < ay) == (bx < by):
                continue
            between_a = set(a.stems[min(ax, ay) + 1:max(ax, ay)])
            between_b = set(b.stems[min(bx, by) + 1:max(bx, by)])
            if (between_a | between_b) & SYMMETRIC_CONNECTORS or not between_a or not between_b:
                continue
            if len(between_a & between_b) >= SWAP_PIVOT_OVERLAP * len(between_a | between_b) \
                    or between_a - a.content_set == between_b - b.content_set != set():
                return a.tokens[ax], a.tokens[ay]
    return None


def _shared_sequences(a, b):
    """The content words both sides have once each, in each side's order."""
    count_a, count_b = {}, {}
    for s in a.stems:
        count_a[s] = count_a.get(s, 0) + 1
    for s in b.stems:
        count_b[s] = count_b.get(s, 0) + 1
    shared = {s for s in a.content_set if count_a[s] == 1 and count_b.get(s) == 1}
    return [s for s in a.stems if s in shared], [s for s in b.stems if s in shared]


def _order_breaks(seq_a, seq_b):
    """How many neighbouring pairs of seq_a are not neighbours in the same order in seq_b."""
    pairs_b = set(zip(seq_b, seq_b[1:]))
    return sum(1 for pair in zip(seq_a, seq_a[1:]) if pair not in pairs_b)


def _neighbours_traded(seq_a, seq_b):
    """Whether seq_b is seq_a with one pair of neighbours traded ("capital city" / "city ... capital")."""
    return any(seq_a[:i] + [seq_a[i + 1], seq_a[i]] + seq_a[i + 2:] == seq_b for i in range(len(seq_a) - 1))


def reordered(f):
    """Long prompts, or sentences whose words did more than trade one pair of neighbours; nearly the
    same words; at least two word pairs no longer neighbours (REORDER_*)."""
    long_or_sentences = f["union"] >= REORDER_MIN_WORDS or (f["sentences"] and not f["neighbours_traded"])
    return long_or_sentences and f["jaccard"] >= REORDER_MIN_OVERLAP and f["order_breaks"] >= 2


def features(query, candidate):
    """Feature dict for a query and a stored candidate (symmetric except `followup`)."""
    a, b = Side(query), Side(candidate)
    only_a = a.content_set - b.content_set
    only_b = b.content_set - a.content_set
    words_a, words_b = {}, {}
    for s, w in a.content:
        words_a.setdefault(s, w)
    for s, w in b.content:
        words_b.setdefault(s, w)
    rare_a = sorted((rarity(words_a[s]), s) for s in only_a if not has_digit(s))
    rare_b = sorted((rarity(words_b[s]), s) for s in only_b if not has_digit(s))
    union = len(a.content_set | b.content_set) or 1
    seq_a, seq_b = _shared_sequences(a, b)
    f = {
        "followup": is_followup(query),
        "numbers": None if a.nums == b.nums else (a.nums, b.nums),
        "negation": a.neg != b.neg,
        "contrast": _contrast(only_a, only_b),
        "swap": _swap(a, b),
        "order_breaks": _order_breaks(seq_a, seq_b),
        "neighbours_traded": _neighbours_traded(seq_a, seq_b),
        "union": union,
        "sentences": a.is_sentence and b.is_sentence,
        "answer_types": _answer_types(a.tokens, b.tokens),
        "literals": _literals_differ(query, candidate),
        "unmatched": (sum(r for r, _ in rare_a) + sum(r for r, _ in rare_b)),
        "added": _added(rare_a, rare_b),
        "length_weight": min(LENGTH_WEIGHT_CAP, LENGTH_WEIGHT_WORDS / union),
        "rare_sub": (rare_a[-1][0] if rare_a else 0.0) * (rare_b[-1][0] if rare_b else 0.0),
        "rare_words": (words_a[rare_a[-1][1]], words_b[rare_b[-1][1]]) if rare_a and rare_b else None,
        "jaccard": len(a.content_set & b.content_set) / union,
        "n_content": (len(a.content_set), len(b.content_set)),
    }
    return f


def _same_name(x, y):
    """The same identifier, maybe qualified on one side (list_datasets / datasets.list_datasets)."""
    return x == y or x.endswith("." + y) or y.endswith("." + x)


def _literals_differ(query, candidate):
    """An identifier-like chunk (see literals) on each side that the other side lacks."""
    la, lb = literals(query), literals(candidate)
    only_a = sorted(x for x in la if not any(_same_name(x, y) for y in lb))
    only_b = sorted(y for y in lb if not any(_same_name(y, x) for x in la))
    return (only_a[0], only_b[0]) if only_a and only_b else None


def _added(rare_a, rare_b):
    """Summed rarity of the words one side has beyond the other's count of one-sided words (the
    rarest of them): words added without a counterpart, which narrow or widen the question."""
    longer, shorter = (rare_a, rare_b) if len(rare_a) > len(rare_b) else (rare_b, rare_a)
    surplus = len(longer) - len(shorter)
    return sum(r for r, _ in longer[len(longer) - surplus:]) if surplus else 0.0


# The penalties weigh more in short prompts, where one word is a larger share of the question:
# length_weight = min(LENGTH_WEIGHT_CAP, LENGTH_WEIGHT_WORDS / content words of both sides).
LENGTH_WEIGHT_WORDS = 8.0
LENGTH_WEIGHT_CAP = 2.0
# Penalties in cosine units, chosen by fit.py --search on the fit half (see its docstring) and
# copied into HitRule.swift.
PENALTIES = {"rare_sub": 0.06, "added": 0.03}
THRESHOLD = 0.83

def vetoed(f):
    """The reason a hard veto fires, or None."""
    if f["followup"]:
        return "follow-up needs context"
    if f["numbers"] is not None:
        return "numbers differ: %s vs %s" % (" ".join(f["numbers"][0]) or "none", " ".join(f["numbers"][1]) or "none")
    if f["negation"]:
        return "negation differs"
    if f["answer_types"]:
        return "asks for another kind of answer: %s vs %s" % f["answer_types"]
    if f["literals"]:
        return "names differ: %s vs %s" % f["literals"]
    if f["swap"]:
        return "word order differs: %s/%s" % f["swap"]
    if reordered(f):
        return "words reordered"
    if f["contrast"]:
        return "opposite words: " + f["contrast"]
    return None


def decide(query, candidate, cosine, threshold=THRESHOLD, f=None):
    """(accepted, score, reason) — HitRule.evaluate in Swift."""
    if cosine < threshold:  # penalties are never negative
        return False, float(cosine), "below threshold"
    f = f or features(query, candidate)
    reason = vetoed(f)
    if reason:
        return False, 0.0, reason
    substitution = f["length_weight"] * PENALTIES["rare_sub"] * f["rare_sub"]
    added = f["length_weight"] * PENALTIES["added"] * f["added"]
    score = cosine - substitution - added
    if score >= threshold:
        return True, score, "accepted"
    if substitution >= added and f["rare_words"]:
        return False, score, "key words differ: %s vs %s" % f["rare_words"]
    return False, score, "words added"


def _swift_cosine(a, b):
    """Cosine of two texts embedded by the Swift MiniLM (`semcache embed --json`; build it first).
    SEMCACHE_BIN and MODEL_DIR override the binary (.build/release/semcache) and the model directory."""
    import json
    import subprocess
    import numpy as np
    binary = os.environ.get("SEMCACHE_BIN", os.path.join(HERE, "..", "..", ".build", "release", "semcache"))
    model_dir = os.environ.get("MODEL_DIR", os.path.join(HERE, "..", "..", "models", "all-MiniLM-L6-v2"))
    vecs = [np.array(json.loads(subprocess.check_output([binary, "embed", t, "--json", "--model-dir", model_dir]))["embedding"]) for t in (a, b)]
    return float(np.dot(vecs[0], vecs[1]))


def write_sample():
    """sample_pairs.tsv (made-up pairs) -> hitrule_sample.tsv with MiniLM cosine and this rule's
    decision at THRESHOLD: query, candidate, cosine, accepted (0/1), reason (up to the first colon).
    Cosines already in hitrule_sample.tsv are kept; new pairs are embedded by the Swift MiniLM."""
    path = os.path.join(HERE, "hitrule_sample.tsv")
    known = {}
    if os.path.exists(path):
        for line in open(path):
            row = line.rstrip("\n").split("\t")
            if len(row) == 5 and not line.startswith("#"):
                known[(row[0], row[1])] = float(row[2])
    pairs = [tuple(l.rstrip("\n").split("\t")[:2]) for l in open(os.path.join(HERE, "sample_pairs.tsv"))
             if l.strip() and not l.startswith("#")]
    rows = []
    for q, c in pairs:
        cos = round(known[(q, c)] if (q, c) in known else _swift_cosine(q, c), 6)
        ok, _, reason = decide(q, c, cos)
        rows.append(f"{q}\t{c}\t{cos:.6f}\t{int(ok)}\t{reason.split(':')[0]}\n")
    with open(path, "w") as out:
        out.write("# Written by `python3 bench/quality/hitrule.py --write-sample`; checked by HitRuleSampleTests.\n")
        out.writelines(rows)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-sample"]:
        write_sample()
    else:
        for line in sys.stdin:
            q, c = line.rstrip("\n").split("\t")[:2]
            print(decide(q, c, 1.0), features(q, c))
