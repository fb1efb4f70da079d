package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Slack's published request-signing example (docs: "Verifying requests from Slack"). */
class SlackSignatureVectorTest {

    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String TIMESTAMP = "1531420618";
    private static final String SIGNATURE =
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain="
            + "testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name="
            + "roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
            + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id="
            + "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    @Test
    void signingMatchesSlacksPublishedExample() {
        assertThat(new SlackSignature.Generator(SECRET).generate(TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifierAcceptsTheExampleAtItsTimeAndRefusesItNow() {
        SlackSignature.Verifier verifier = new SlackSignature.Verifier(new SlackSignature.Generator(SECRET));

        assertThat(verifier.isValid(TIMESTAMP, BODY, SIGNATURE, Long.parseLong(TIMESTAMP) * 1000))
                .isTrue();
        assertThat(verifier.isValid(TIMESTAMP, BODY + "&x=1", SIGNATURE,
                Long.parseLong(TIMESTAMP) * 1000)).isFalse();
        assertThat(verifier.isValid(TIMESTAMP, BODY, SIGNATURE, System.currentTimeMillis())).isFalse();
    }


    @Test
    void ourOwnCheckAcceptsTheExampleAtItsTimeOnly() {
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(TIMESTAMP));
        SlackSignatureCheck then = new SlackSignatureCheck(SECRET, fixed(signedAt));

        assertThat(then.accepts(TIMESTAMP, SIGNATURE, BODY)).isTrue();
        assertThat(new SlackSignatureCheck(SECRET, fixed(signedAt.plusSeconds(300)))
                .accepts(TIMESTAMP, SIGNATURE, BODY)).as("300 s later").isTrue();
        assertThat(new SlackSignatureCheck(SECRET, fixed(signedAt.plusSeconds(301)))
                .accepts(TIMESTAMP, SIGNATURE, BODY)).as("301 s later").isFalse();
        assertThat(new SlackSignatureCheck(SECRET, fixed(signedAt.minusSeconds(301)))
                .accepts(TIMESTAMP, SIGNATURE, BODY)).as("stamped 301 s in the future").isFalse();
    }

    @Test
    void ourOwnCheckRefusesAnyChangeAndAnyMissingPart() {
        SlackSignatureCheck check = new SlackSignatureCheck(SECRET,
                fixed(Instant.ofEpochSecond(Long.parseLong(TIMESTAMP))));

        assertThat(check.accepts(TIMESTAMP, SIGNATURE, BODY + "&text=pay")).isFalse();
        assertThat(check.accepts(TIMESTAMP, SIGNATURE.replace("a2114", "a2115"), BODY)).isFalse();
        assertThat(check.accepts(TIMESTAMP, SIGNATURE.substring(0, 40), BODY)).isFalse();
        assertThat(check.accepts(TIMESTAMP, SIGNATURE.toUpperCase(), BODY)).isFalse();
        assertThat(new SlackSignatureCheck("another-secret-another-secret-00",
                fixed(Instant.ofEpochSecond(Long.parseLong(TIMESTAMP))))
                .accepts(TIMESTAMP, SIGNATURE, BODY)).isFalse();
        assertThat(check.accepts(null, SIGNATURE, BODY)).isFalse();
        assertThat(check.accepts(TIMESTAMP, null, BODY)).isFalse();
        assertThat(check.accepts("soon", SIGNATURE, BODY)).isFalse();
    }

    private static Clock fixed(Instant at) {
        return Clock.fixed(at, ZoneOffset.UTC);
    }
}
