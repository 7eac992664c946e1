package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a submission completely before anything is stored, collecting every refused field so
 * the reporter can fix them all at once: a known category; 1 to 20 absolute http(s) URLs, all on
 * hostnames one zone of this service serves; a description; a contact where the category needs
 * a named complainant (copyright, trademark); no forwarding for categories that forbid it.
 */
public final class ReportValidator {
    /** A submission that passed: the zone its URLs belong to and the normalised fields. */
    public record Valid(Category category, String zoneId, List<String> urls, String description, String evidence,
                        String reporterName, String reporterContact, boolean forwardToOwner) {}

    static final int MAX_URLS = 20;
    static final int MAX_URL = 2048;
    static final int MAX_DESCRIPTION = 10_000;
    static final int MAX_EVIDENCE = 20_000;
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    private final Function<String, Optional<String>> zoneOfHost;

    /** @param zoneOfHost the zone serving a (lower-case) hostname, if any */
    public ReportValidator(Function<String, Optional<String>> zoneOfHost) { this.zoneOfHost = zoneOfHost; }

    /** Returns the valid report or throws {@link StoreException} (422) naming every bad field. */
    public Valid validate(ReportSubmission s) {
        List<FieldError> errors = new ArrayList<>();
        Category category = Category.parse(s.category());
        if (s.category() == null || s.category().isBlank()) errors.add(new FieldError("category", "category is required"));
        else if (category == null) errors.add(new FieldError("category", "unknown category '" + s.category() + "'; one of " + wires()));

        Set<String> zones = new LinkedHashSet<>();
        List<String> urls = new ArrayList<>();
        if (s.urls().isEmpty()) errors.add(new FieldError("urls", "at least one URL is required"));
        if (s.urls().size() > MAX_URLS) errors.add(new FieldError("urls", "at most " + MAX_URLS + " URLs per report"));
        for (int i = 0; i < Math.min(s.urls().size(), MAX_URLS); i++) {
            String u = s.urls().get(i);
            String field = "urls[" + i + "]";
            String host = hostOf(u);
            if (u.length() > MAX_URL) errors.add(new FieldError(field, "a URL may be at most " + MAX_URL + " characters"));
            else if (host == null) errors.add(new FieldError(field, "not an absolute http(s) URL: '" + u + "'"));
            else {
                Optional<String> zone = zoneFor(host);
                if (zone.isEmpty()) errors.add(new FieldError(field, "no site protected by this service uses the hostname '" + host + "'"));
                else {
                    zones.add(zone.get());
                    urls.add(u);
                }
            }
        }
        if (zones.size() > 1) errors.add(new FieldError("urls", "the URLs belong to different sites (" + String.join(", ", zones) + "); send one report per site"));

        String description = trimToNull(s.description());
        if (description == null) errors.add(new FieldError("description", "describe what is wrong"));
        else if (description.length() > MAX_DESCRIPTION) errors.add(new FieldError("description", "at most " + MAX_DESCRIPTION + " characters"));
        String evidence = trimToNull(s.evidence());
        if (evidence != null && evidence.length() > MAX_EVIDENCE) errors.add(new FieldError("evidence", "at most " + MAX_EVIDENCE + " characters"));

        String name = trimToNull(s.reporterName());
        String contact = trimToNull(s.reporterContact());
        if (name != null && name.length() > 200) errors.add(new FieldError("reporter_name", "at most 200 characters"));
        if (contact != null && (contact.length() > 320 || !EMAIL.matcher(contact).matches())) {
            errors.add(new FieldError("reporter_contact", "give an e-mail address such as name@example.org"));
        }
        if (category != null && category.needsNamedComplainant()) {
            if (name == null) errors.add(new FieldError("reporter_name", category.wire() + " reports need the name of the rights holder or their agent"));
            if (contact == null) errors.add(new FieldError("reporter_contact", category.wire() + " reports need a contact address"));
        }
        boolean forward = s.forwardToOwner() != null && s.forwardToOwner();
        if (forward && category != null && !category.forwardable()) {
            errors.add(new FieldError("forward_to_owner", category.wire() + " reports are never forwarded to the site owner"));
        }
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        return new Valid(category, zones.iterator().next(), urls, description, evidence, name, contact, forward);
    }

    /** Exact hostname first, then the wildcard one level up ({@code *.example.com}). */
    private Optional<String> zoneFor(String host) {
        Optional<String> z = zoneOfHost.apply(host);
        if (z.isPresent()) return z;
        int dot = host.indexOf('.');
        return dot > 0 ? zoneOfHost.apply("*" + host.substring(dot)) : Optional.empty();
    }

    static String hostOf(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) return null;
            return u.getHost().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String wires() {
        StringBuilder b = new StringBuilder();
        for (Category c : Category.values()) b.append(b.isEmpty() ? "" : ", ").append(c.wire());
        return b.toString();
    }
}
