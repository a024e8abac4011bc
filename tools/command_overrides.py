"""Facts the command specs do not state well enough for a good C++ interface.

One small table per concern, read by gen_commands.py. Every entry says why it exists.
"""

# Result types where the reply_schema is too loose (generic objects, shapes that depend on the
# arguments). Values are C++ type spellings; `result_for` entries depend on a token.
RESULT_TYPES = {
    # HELLO: a map of server facts; strings and integers mixed, so the generic value.
    # XREAD / XREADGROUP: RESP3 map {stream: entries}, RESP2 array of [stream, entries]; both read as
    # a list of (stream, entries) pairs, each entry an (id, field/value pairs) pair.
    "XREAD": "std::optional<std::vector<std::pair<std::string, std::vector<respio::stream_entry>>>>",
    "XREADGROUP": "std::optional<std::vector<std::pair<std::string, std::vector<respio::stream_entry>>>>",
    "XRANGE": "std::vector<respio::stream_entry>",
    "XREVRANGE": "std::vector<respio::stream_entry>",
    # CLUSTER SHARDS / CLUSTER SLOTS: structures the cluster client itself reads.
    "CLUSTER SHARDS": "std::vector<respio::cluster_shard>",
    # INFO: the text; respio::parse_info() splits it.
    "INFO": "std::string",
    # CONFIG GET: a map in RESP3, a flat array in RESP2; both read as a map.
    "CONFIG GET": "std::map<std::string, std::string>",
    # SET without GET answers OK or (with NX/XX) null; with GET the old value.
    "SET": "std::optional<respio::ok>",
    # ZADD: the number added, or with INCR the new score (null when NX/XX stopped it).
    "ZADD": "std::optional<double>",
    # The spec leaves out the null reply for an unknown primary name.
    "SENTINEL GET-MASTER-ADDR-BY-NAME": "std::optional<std::pair<std::string, std::string>>",
    "SENTINEL GET-PRIMARY-ADDR-BY-NAME": "std::optional<std::pair<std::string, std::string>>",
    # TYPE always answers (none for a missing key).
    "TYPE": "std::string",
    # Numbers the server sends as text: read as numbers (the adapter parses RESP2 and RESP3 alike).
    "INCRBYFLOAT": "double",
    "HINCRBYFLOAT": "double",
    "GEODIST": "std::optional<double>",
}

# Result types that change with an option token: name -> (token, type with it, type without it).
RESULT_FOR_TOKEN = {
    "SET": ("GET", "std::optional<std::string>", "std::optional<respio::ok>"),
    "ZADD": ("INCR", "std::optional<double>", "std::int64_t"),
    "ZRANGE": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "std::vector<std::string>"),
    "ZRANGEBYSCORE": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "std::vector<std::string>"),
    "ZREVRANGE": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "std::vector<std::string>"),
    "ZREVRANGEBYSCORE": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "std::vector<std::string>"),
    "ZUNION": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "std::vector<std::string>"),
    "ZINTER": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "std::vector<std::string>"),
    "ZDIFF": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "std::vector<std::string>"),
    "ZRANDMEMBER": ("WITHSCORES", "std::vector<std::pair<std::string, double>>", "respio::value"),
    "HRANDFIELD": ("WITHVALUES", "std::vector<std::pair<std::string, std::string>>", "respio::value"),
}

# Blocking commands: where the block time is. (index, keyword, unit) with index -1 = last argument.
# The generator fails if a BLOCKING command is missing here, so a new one cannot slip through.
BLOCKING = {
    "BLPOP": (-1, "", "s"),
    "BRPOP": (-1, "", "s"),
    "BZPOPMIN": (-1, "", "s"),
    "BZPOPMAX": (-1, "", "s"),
    "BRPOPLPUSH": (-1, "", "s"),
    "BLMOVE": (-1, "", "s"),
    "BLMPOP": (1, "", "s"),
    "BZMPOP": (1, "", "s"),
    "XREAD": (0, "BLOCK", "ms"),
    "XREADGROUP": (0, "BLOCK", "ms"),
    "WAIT": (2, "", "ms"),
    "WAITAOF": (3, "", "ms"),
}

# Replies that contain key names (a key prefix is taken off them). See respio::reply_keys.
REPLY_KEYS = {
    "RANDOMKEY": "whole",
    "KEYS": "all_elements",
    "SCAN": "second_elements",
    "BLPOP": "first_element",
    "BRPOP": "first_element",
    "BLMPOP": "first_element",
    "LMPOP": "first_element",
    "ZMPOP": "first_element",
    "BZMPOP": "first_element",
    "BZPOPMIN": "first_element",
    "BZPOPMAX": "first_element",
    "XREAD": "stream_keys",
    "XREADGROUP": "stream_keys",
    "CLUSTER GETKEYSINSLOT": "all_elements",
}

# Commands whose keys the key specs cannot find (their begin_search is "unknown").
KEY_FINDERS = {
    "SORT": "sort",
    "SORT_RO": "sort",
}

# Pattern arguments that name keys (a key prefix goes in front of them too): KEYS pattern and
# SCAN's MATCH pattern select keys by name.
KEY_PATTERNS = {"KEYS", "SCAN"}
