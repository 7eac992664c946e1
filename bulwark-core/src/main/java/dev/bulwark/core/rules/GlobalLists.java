package dev.bulwark.core.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config's global named lists, with each list's IP-set and string-set readings built at
 * most once, however many zones use them: a million-entry global blocklist is parsed once
 * per config version, not once per zone. Not thread-safe: used while compiling one config.
 */
public final class GlobalLists {
    private final Map<String, List<String>> lists;
    private final Map<String, IpSet> ipSets = new HashMap<>();
    private final Map<String, Set<String>> stringSets = new HashMap<>();

    public GlobalLists(Map<String, List<String>> lists) { this.lists = lists == null ? Map.of() : lists; }

    Map<String, List<String>> lists() { return lists; }

    IpSet ipSet(String name) {
        IpSet s = ipSets.get(name);
        if (s == null) {
            s = IpSet.of(lists.get(name));
            ipSets.put(name, s);
        }
        return s;
    }

    Set<String> strings(String name) {
        Set<String> s = stringSets.get(name);
        if (s == null) {
            s = NamedLists.stringSet(lists.get(name));
            stringSets.put(name, s);
        }
        return s;
    }
}
