package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ReportValidatorTest {
    private final Map<String, String> hosts = Map.of("forum.example", "forum", "*.forum.example", "forum", "shop.example", "shop");
    private final ReportValidator validator = new ReportValidator(h -> Optional.ofNullable(hosts.get(h)));

    private List<String> fields(ReportSubmission s) {
        StoreException e = catchThrowableOfType(StoreException.class, () -> validator.validate(s));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aValidAnonymousReportResolvesItsZoneFromTheUrls() {
        ReportValidator.Valid v = validator.validate(new ReportSubmission("harassment",
                List.of("https://forum.example/t/1", "https://www.forum.example/t/2"), "  abuse of a user ", null, null, null, true));
        assertThat(v.zoneId()).isEqualTo("forum");
        assertThat(v.category()).isEqualTo(Category.HARASSMENT);
        assertThat(v.description()).isEqualTo("abuse of a user");
        assertThat(v.forwardToOwner()).isTrue();
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        assertThat(fields(new ReportSubmission("spam", List.of("ftp://forum.example/x", "https://nowhere.example/"), " ", "e", null, "not-mail", null)))
                .containsExactlyInAnyOrder("category", "urls[0]", "urls[1]", "description", "reporter_contact");
        assertThat(fields(new ReportSubmission(null, List.of(), null, null, null, null, null)))
                .containsExactlyInAnyOrder("category", "urls", "description");
    }

    @Test
    void copyrightAndTrademarkNeedANamedComplainant() {
        assertThat(fields(new ReportSubmission("copyright", List.of("https://shop.example/item"), "my photo", null, null, null, null)))
                .containsExactlyInAnyOrder("reporter_name", "reporter_contact");
        ReportValidator.Valid ok = validator.validate(new ReportSubmission("trademark", List.of("https://shop.example/item"), "fake brand",
                null, "Brand Ltd", "legal@brand.example", false));
        assertThat(ok.reporterName()).isEqualTo("Brand Ltd");
    }

    @Test
    void csamAndNciiAreNeverForwarded() {
        assertThat(fields(new ReportSubmission("csam", List.of("https://forum.example/x"), "material", null, null, null, true)))
                .containsExactly("forward_to_owner");
        assertThat(fields(new ReportSubmission("ncii", List.of("https://forum.example/x"), "images", null, null, null, true)))
                .containsExactly("forward_to_owner");
        assertThat(validator.validate(new ReportSubmission("ncii", List.of("https://forum.example/x"), "images", null, null, null, false)).forwardToOwner()).isFalse();
    }

    @Test
    void urlsOfTwoZonesAreRefused() {
        assertThat(fields(new ReportSubmission("phishing", List.of("https://forum.example/a", "https://shop.example/b"), "login page", null, null, null, null)))
                .containsExactly("urls");
    }
}
