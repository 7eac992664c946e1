package dev.bulwark.core.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named lists a zone's rules may reference as {@code $name}: the zone's own lists first,
 * then the global ones. A list is read as an IP list or a string list depending on what it
 * is compared with; each reading is built once and shared by every rule that uses it.
 * Not thread-safe: used while compiling one config version.
 */
public final class NamedLists {
    private final Map<String, List<String>> zone;
    private final GlobalLists globalLists;
    private final Map<String, List<String>> global;
    private final Map<String, IpSet> ipSets = new HashMap<>();
    private final Map<String, Set<String>> stringSets = new HashMap<>();

    public NamedLists(Map<String, List<String>> zoneLists, Map<String, List<String>> globalLists) {
        this(zoneLists, new GlobalLists(globalLists));
    }

    /** Zone lists over global lists whose readings are shared with other zones of the same config. */
    public NamedLists(Map<String, List<String>> zoneLists, GlobalLists globalLists) {
        this.zone = zoneLists == null ? Map.of() : zoneLists;
        this.globalLists = globalLists;
        this.global = globalLists.lists();
    }

    public static NamedLists none() { return new NamedLists(Map.of(), Map.of()); }

    /** The entries of a list, or null when no list has that name. */
    public List<String> entries(String name) {
        List<String> l = zone.get(name);
        return l != null ? l : global.get(name);
    }

    /** @throws IllegalArgumentException when the list is missing or an entry is not an address or range */
    IpSet ipSet(String name) {
        IpSet s = ipSets.get(name);
        if (s != null) return s;
        List<String> entries = require(name);
        s = zone.containsKey(name) ? IpSet.of(entries) : globalLists.ipSet(name);
        ipSets.put(name, s);
        return s;
    }

    /** @throws IllegalArgumentException when the list is missing or holds an empty entry */
    Set<String> strings(String name) {
        Set<String> s = stringSets.get(name);
        if (s != null) return s;
        List<String> entries = require(name);
        s = zone.containsKey(name) ? stringSet(entries) : globalLists.strings(name);
        stringSets.put(name, s);
        return s;
    }

    static Set<String> stringSet(List<String> entries) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) == null) throw new IllegalArgumentException("entry " + (i + 1) + " is empty");
        }
        return Set.copyOf(entries);
    }

    private List<String> require(String name) {
        List<String> l = entries(name);
        if (l == null) {
            throw new IllegalArgumentException("unknown list $" + name + (zone.isEmpty() && global.isEmpty() ? " (no lists are defined)"
                    : " (defined: " + String.join(", ", names()) + ")"));
        }
        return l;
    }

    private List<String> names() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(zone.keySet());
        all.addAll(global.keySet());
        return all.stream().map(n -> "$" + n).toList();
    }
}
