package dev.bulwark.core.limit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyCharacteristicTest {
    @Test
    void parsesFieldNamesAndAliases() {
        assertThat(KeyCharacteristic.parse("ip.src")).isInstanceOf(KeyCharacteristic.Address.class);
        assertThat(KeyCharacteristic.parse(" IP.Prefix ")).isInstanceOf(KeyCharacteristic.Prefix.class);
        assertThat(KeyCharacteristic.parse("ip.src.prefix")).isInstanceOf(KeyCharacteristic.Prefix.class);
        assertThat(KeyCharacteristic.parse("http.request.headers[\"X-Api-Key\"]")).isEqualTo(new KeyCharacteristic.Header("x-api-key"));
        assertThat(KeyCharacteristic.parse("header:X-Api-Key")).isEqualTo(new KeyCharacteristic.Header("x-api-key"));
        assertThat(KeyCharacteristic.parse("http.request.cookies['sid']")).isEqualTo(new KeyCharacteristic.Cookie("sid"));
        assertThat(KeyCharacteristic.parse("cookie:sid")).isEqualTo(new KeyCharacteristic.Cookie("sid"));
        assertThat(KeyCharacteristic.parse("http.request.uri.args[\"q\"]")).isEqualTo(new KeyCharacteristic.QueryArg("q"));
        assertThat(KeyCharacteristic.parse("query:q")).isEqualTo(new KeyCharacteristic.QueryArg("q"));
        assertThat(KeyCharacteristic.parse("path")).isInstanceOf(KeyCharacteristic.Path.class);
        assertThat(KeyCharacteristic.parse("http.host")).isInstanceOf(KeyCharacteristic.Host.class);
        assertThat(KeyCharacteristic.parse("http.request.method")).isInstanceOf(KeyCharacteristic.Method.class);
        assertThat(KeyCharacteristic.parse("clearance.id")).isInstanceOf(KeyCharacteristic.ClearanceId.class);
    }

    @Test
    void unknownNamesListWhatIsAccepted() {
        assertThatThrownBy(() -> KeyCharacteristic.parse("ip.dst")).hasMessageContaining("'ip.dst'").hasMessageContaining("ip.prefix");
        assertThatThrownBy(() -> KeyCharacteristic.parse("http.request.headers[\"\"]")).hasMessageContaining("names no header");
    }

    @Test
    void findsListValuesInPlace() {
        assertThat(KeyCharacteristic.find("a=1; sid=xyz; b=2", "sid", ';')).isEqualTo(9);
        assertThat(KeyCharacteristic.find("xsid=1", "sid", ';')).isEqualTo(-1);
        assertThat(KeyCharacteristic.find("q=1&qq=2", "qq", '&')).isEqualTo(7);
        assertThat(KeyCharacteristic.find("q", "q", '&')).isEqualTo(-1);
        assertThat(KeyCharacteristic.find("", "q", '&')).isEqualTo(-1);
    }
}
