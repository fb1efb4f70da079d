package dev.countersign.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.countersign.keys.SecretKeys;
import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.logging.LogFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    private static final String BOT_TOKEN = "xoxb-1111-2222-bot-token-value";
    private static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String SIGNALWIRE_TOKEN = "PTsignalwire-api-token-value";

    /** The least an operator must set for the default, HTTP + SignalWire, set-up. */
    private static final Map<String, String> MINIMAL = Map.of(
            "SLACK_BOT_TOKEN", BOT_TOKEN,
            "SLACK_SIGNING_SECRET", SIGNING_SECRET,
            "SIGNALWIRE_SPACE", "example.signalwire.com",
            "SIGNALWIRE_PROJECT_KEY", "0f1e2d3c-project",
            "SIGNALWIRE_TOKEN", SIGNALWIRE_TOKEN);

    @TempDir
    Path directory;

    @Test
    void aMinimalEnvironmentGivesTheDocumentedDefaults() {
        Settings settings = load(MINIMAL);

        assertThat(settings.slack().socketMode()).isFalse();
        assertThat(settings.slack().apiUrl()).isEqualTo("https://slack.com/api/");
        assertThat(settings.otpProvider()).isEqualTo(Settings.OtpProvider.SIGNALWIRE);
        assertThat(settings.signalWire()).hasValueSatisfying(signalWire ->
                assertThat(signalWire.from()).isEmpty());
        assertThat(settings.databaseUrl()).isEqualTo("jdbc:sqlite:data/countersign.db");
        assertThat(settings.port()).isEqualTo(3000);
        assertThat(settings.logLevel()).isEqualTo("INFO");
        assertThat(settings.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(settings.allowedCountries()).containsExactlyInAnyOrder("US", "CA", "GB", "IE",
                "AU", "NZ", "DE", "FR", "NL", "BE", "ES", "IT", "PT", "AT", "CH", "SE", "NO", "DK",
                "FI", "PL");
        assertThat(settings.adminUserIds()).isEmpty();
        assertThat(settings.dualControl().enabled()).isFalse();
        assertThat(settings.webhook()).isEmpty();

        ApprovalPolicy policy = settings.approvalPolicy();
        assertThat(policy.codeTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(policy.maxCodesPerUserPerHour()).isEqualTo(10);
        assertThat(policy.maxCodesPerTeamPerDay()).isEqualTo(500);
        assertThat(policy.resendCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.newPhoneHoldAmount()).isEqualByComparingTo("1000");
        assertThat(policy.newPhoneHold()).isEqualTo(Duration.ofHours(24));
        assertThat(policy.dualControl().secondApprovalTtl()).isEqualTo(Duration.ofSeconds(86_400));
        // Without a sender number SignalWire sends its own text, which cannot name the payment.
        assertThat(policy.customCodeText()).isFalse();
    }

    @Test
    void unsetLimitsGiveTheDefaultApprovalPolicy() {
        ApprovalPolicy server = load(MINIMAL).approvalPolicy();

        assertThat(server).isEqualTo(ApprovalPolicy.DEFAULTS);
    }

    @Test
    void exampleEnvAsShippedIsRefusedNamingEveryPlaceholderAtOnce() throws IOException {
        Path dotenv = Files.copy(Path.of("example.env"), directory.resolve(".env"));

        assertThatThrownBy(() -> SettingsLoader.load(Map.of(), dotenv))
                .isInstanceOfSatisfying(SettingsException.class, refused -> assertThat(
                        refused.problems()).anySatisfy(problem -> assertThat(problem)
                                .startsWith("SLACK_BOT_TOKEN still has the example value"))
                        .anySatisfy(problem -> assertThat(problem)
                                .startsWith("SLACK_SIGNING_SECRET still has the example value"))
                        .anySatisfy(problem -> assertThat(problem)
                                .startsWith("SIGNALWIRE_PROJECT_KEY still has the example value"))
                        .anySatisfy(problem -> assertThat(problem)
                                .startsWith("SIGNALWIRE_TOKEN still has the example value")));
    }

    @Test
    void exampleEnvWithItsPlaceholdersFilledInLoads() throws IOException {
        Path dotenv = Files.writeString(directory.resolve(".env"),
                withPlaceholdersFilledIn(Files.readString(Path.of("example.env"))));

        Settings settings = SettingsLoader.load(Map.of(), dotenv);

        assertThat(settings.signalWire()).hasValueSatisfying(signalWire ->
                assertThat(signalWire.space()).isEqualTo("example.signalwire.com"));
    }

    @Test
    void theDefaultsExampleEnvShowsAreTheOnesUsedWhenUnset() throws IOException {
        List<String> shownDefaults = List.of("SLACK_API_URL", "CODE_TTL_SECONDS",
                "MAX_CODE_ATTEMPTS", "MAX_CODES_PER_USER_PER_HOUR", "MAX_CODES_PER_TEAM_PER_DAY",
                "ALLOWED_COUNTRIES", "NEW_PHONE_HOLD_AMOUNT", "DUAL_CONTROL_SIGNATURES",
                "SECOND_APPROVAL_TTL_SECONDS", "LOG_LEVEL", "LOG_FORMAT", "BIND_ADDRESS");
        String example = withPlaceholdersFilledIn(Files.readString(Path.of("example.env")));
        String uncommented = example;
        for (String name : shownDefaults) {
            assertThat(example).as("example.env shows %s", name).contains("# " + name + "=");
            uncommented = uncommented.replace("# " + name + "=", name + "=");
        }
        Path asShipped = Files.writeString(directory.resolve("shipped.env"), example);
        Path withDefaultsSet = Files.writeString(directory.resolve("defaults.env"), uncommented);

        assertThat(SettingsLoader.load(Map.of(), withDefaultsSet))
                .isEqualTo(SettingsLoader.load(Map.of(), asShipped));
    }

    @Test
    void theDefaultsInTheReadmeAreTheOnesUsedWhenUnset() throws IOException {
        Map<String, String> documented = readmeDefaults();
        assertThat(documented).containsKeys("PORT", "BIND_ADDRESS", "LOG_FORMAT", "DATABASE_URL",
                "CODE_TTL_SECONDS",
                "MAX_CODE_ATTEMPTS", "MAX_CODES_PER_USER_PER_HOUR", "MAX_CODES_PER_TEAM_PER_DAY",
                "ALLOWED_COUNTRIES", "NEW_PHONE_HOLD_AMOUNT", "SECOND_APPROVAL_TTL_SECONDS");
        Map<String, String> environment = new HashMap<>(MINIMAL);
        environment.putAll(documented);

        assertThat(load(environment)).isEqualTo(load(MINIMAL));
    }

    @Nested
    class Sources {

        @Test
        void theEnvironmentWinsOverTheDotenvFile() throws IOException {
            Path dotenv = Files.writeString(directory.resolve(".env"),
                    "SLACK_BOT_TOKEN=xoxb-from-the-file\nCODE_TTL_SECONDS=120\nPORT=4000\n");
            Map<String, String> environment = new HashMap<>(MINIMAL);
            environment.remove("SLACK_BOT_TOKEN");
            environment.put("CODE_TTL_SECONDS", "200");

            Settings settings = SettingsLoader.load(environment, dotenv);

            assertThat(settings.limits().codeTtl()).isEqualTo(Duration.ofSeconds(200));
            assertThat(settings.port()).isEqualTo(4000);
            assertThat(settings.slack().botToken()).isEqualTo("xoxb-from-the-file");
        }

        @Test
        void aDotenvFileAloneIsEnough() throws IOException {
            StringBuilder lines = new StringBuilder("# comments and blank lines are fine\n\n");
            MINIMAL.forEach((name, value) -> lines.append(name).append('=').append(value)
                    .append('\n'));
            Path dotenv = Files.writeString(directory.resolve(".env"), lines);

            Settings settings = SettingsLoader.load(Map.of(), dotenv);

            assertThat(settings.slack().botToken()).isEqualTo(BOT_TOKEN);
            assertThat(settings.signalWire()).hasValueSatisfying(signalWire ->
                    assertThat(signalWire.token()).isEqualTo(SIGNALWIRE_TOKEN));
        }

        @Test
        void aMissingDotenvFileIsNoProblem() {
            assertThat(SettingsLoader.load(MINIMAL, directory.resolve("absent.env")).port())
                    .isEqualTo(3000);
        }

        @Test
        void blankValuesCountAsUnset() {
            Settings settings = load(with("PORT", "  ", "LOG_LEVEL", ""));

            assertThat(settings.port()).isEqualTo(3000);
            assertThat(settings.logLevel()).isEqualTo("INFO");
        }

        @Test
        void anUnreadableDotenvLineIsNamedWithoutRepeatingIt() throws IOException {
            Path dotenv = Files.writeString(directory.resolve(".env"),
                    "SLACK_SIGNING_SECRET 4f2a9c-secret-without-its-equals-sign\n");

            assertThatThrownBy(() -> SettingsLoader.load(MINIMAL, dotenv))
                    .isInstanceOfSatisfying(SettingsException.class, e -> {
                        assertThat(e.problems()).singleElement().asString()
                                .contains(dotenv.toString(), "KEY=value");
                        assertThat(e.getMessage()).doesNotContain("4f2a9c-secret");
                    });
        }
    }

    @Nested
    class Problems {

        @Test
        void jsonLogsAndALoopbackOrAnyAddressAreAccepted() {
            Settings json = load(with("LOG_FORMAT", "JSON", "BIND_ADDRESS", "127.0.0.1"));
            Settings ipv6 = load(with("BIND_ADDRESS", "::"));

            assertThat(json.logFormat()).isEqualTo(LogFormat.JSON);
            assertThat(json.bindAddress()).isEqualTo("127.0.0.1");
            assertThat(ipv6.bindAddress()).isEqualTo("::");
        }

        @Test
        void anUnknownLogFormatAndAHostNameToBindAreEachNamed() {
            SettingsException thrown = problemsOf(with("LOG_FORMAT", "xml",
                    "BIND_ADDRESS", "countersign.example.com"));

            assertThat(thrown.problems()).hasSize(2);
            assertThat(thrown.getMessage()).contains(
                    "LOG_FORMAT must be text or json (got \"xml\")",
                    "BIND_ADDRESS must be an IP address like 0.0.0.0",
                    "not a host name (got \"countersign.example.com\")");
        }

        @Test
        void anAddressThisMachineDoesNotHaveIsRefusedBeforeBinding() {
            // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
            SettingsException thrown = problemsOf(with("BIND_ADDRESS", "192.0.2.10"));

            assertThat(thrown.problems()).singleElement().asString()
                    .contains("BIND_ADDRESS \"192.0.2.10\" is not an address of this machine");
        }

        @Test
        void severalBadValuesAreAllNamedInOneMessage() {
            SettingsException thrown = problemsOf(with("CODE_TTL_SECONDS", "5",
                    "MAX_CODE_ATTEMPTS", "three", "PORT", "70000", "LOG_LEVEL", "LOUD",
                    "DATABASE_URL", "jdbc:mysql://db/countersign"));

            assertThat(thrown.problems()).hasSize(5);
            assertThat(thrown.getMessage()).contains("5 settings need attention",
                    "CODE_TTL_SECONDS must be a whole number from 60 to 600 (got \"5\")",
                    "MAX_CODE_ATTEMPTS must be a whole number from 1 to 5 (got \"three\")",
                    "PORT must be a whole number from 0 to 65535", "LOG_LEVEL must be one of",
                    "DATABASE_URL must be a SQLite JDBC URL", "example.env");
        }

        @Test
        void anEmptyEnvironmentNamesEveryRequiredSetting() {
            SettingsException thrown = problemsOf(Map.of());

            assertThat(thrown.problems()).hasSize(5).anySatisfy(problem ->
                    assertThat(problem).startsWith("SLACK_BOT_TOKEN is required"));
            assertThat(thrown.getMessage()).contains("SLACK_SIGNING_SECRET", "SIGNALWIRE_SPACE",
                    "SIGNALWIRE_PROJECT_KEY", "SIGNALWIRE_TOKEN");
        }

        @Test
        void noSecretValueAppearsInTheMessage() {
            String badBotToken = "xoxp-user-token-not-a-bot-0001";
            String badAppToken = "xoxa-not-an-app-token-0002";
            String shortWebhookSecret = "short-secret-03";
            SettingsException thrown = problemsOf(with("SLACK_BOT_TOKEN", badBotToken,
                    "SLACK_APP_TOKEN", badAppToken,
                    "APPROVAL_WEBHOOK_URL", "https://payments.example.com/countersign",
                    "APPROVAL_WEBHOOK_SECRET", shortWebhookSecret,
                    "SIGNALWIRE_FROM", "4155550199"));

            assertThat(thrown.problems()).hasSize(4);
            assertThat(thrown.getMessage()).contains("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
                            "APPROVAL_WEBHOOK_SECRET", "SIGNALWIRE_FROM")
                    .doesNotContain(badBotToken, badAppToken, shortWebhookSecret, SIGNING_SECRET,
                            SIGNALWIRE_TOKEN, "4155550199");
        }

        @Test
        void settingsTextHoldsNoSecret() {
            Settings settings = load(with("APPROVAL_WEBHOOK_URL", "https://payments.example.com/",
                    "APPROVAL_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef"));

            assertThat(settings.toString()).doesNotContain(BOT_TOKEN, SIGNING_SECRET,
                    SIGNALWIRE_TOKEN, "0123456789abcdef0123456789abcdef");
        }
    }

    @Nested
    class Slack {

        @Test
        void httpModeNeedsTheSigningSecret() {
            Map<String, String> environment = new HashMap<>(MINIMAL);
            environment.remove("SLACK_SIGNING_SECRET");

            assertThat(problemsOf(environment).problems()).singleElement().asString()
                    .startsWith("SLACK_SIGNING_SECRET is required in HTTP mode")
                    .contains("SLACK_APP_TOKEN");
        }

        @Test
        void aSigningSecretShorterThanSlacksIsRefusedWithoutShowingIt() {
            Map<String, String> environment = new HashMap<>(MINIMAL);
            environment.put("SLACK_SIGNING_SECRET", "short-secret-0123");

            assertThat(problemsOf(environment).problems()).singleElement().asString()
                    .startsWith("SLACK_SIGNING_SECRET is too short to be a real secret")
                    .contains("at least 32 characters").doesNotContain("short-secret-0123");
        }

        @Test
        void plainHttpToSlackOrSignalWireIsRefusedExceptOnThisMachine() {
            Map<String, String> remote = new HashMap<>(MINIMAL);
            remote.put("SLACK_API_URL", "http://slack.example.com/api/");
            remote.put("SIGNALWIRE_SPACE", "http://example.signalwire.com");
            Map<String, String> local = new HashMap<>(MINIMAL);
            local.put("SLACK_API_URL", "http://127.0.0.1:9999/api/");
            local.put("SIGNALWIRE_SPACE", "http://localhost:9998");

            assertThat(problemsOf(remote).problems()).hasSize(2)
                    .anySatisfy(problem -> assertThat(problem)
                            .startsWith("SLACK_API_URL must be an https:// URL"))
                    .anySatisfy(problem -> assertThat(problem)
                            .startsWith("SIGNALWIRE_SPACE must use https://"));
            assertThat(load(local).slack().apiUrl()).isEqualTo("http://127.0.0.1:9999/api/");
        }

        @Test
        void socketModeNeedsNoSigningSecret() {
            Map<String, String> environment = new HashMap<>(MINIMAL);
            environment.remove("SLACK_SIGNING_SECRET");
            environment.put("SLACK_APP_TOKEN", "xapp-1-A111-222-app-token");

            Settings.SlackSettings slack = load(environment).slack();

            assertThat(slack.socketMode()).isTrue();
            assertThat(slack.signingSecret()).isNull();
        }

        @Test
        void theBotTokenMustBeABotToken() {
            assertThat(problemsOf(with("SLACK_BOT_TOKEN", "xoxp-user-token")).problems())
                    .containsExactly("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
        }

        @Test
        void theApiUrlGetsItsTrailingSlash() {
            assertThat(load(with("SLACK_API_URL", "http://127.0.0.1:8123/api")).slack().apiUrl())
                    .isEqualTo("http://127.0.0.1:8123/api/");
        }

        @Test
        void anApiUrlThatIsNotHttpIsRefused() {
            assertThat(problemsOf(with("SLACK_API_URL", "ftp://slack.com/api/")).problems())
                    .singleElement().asString().startsWith("SLACK_API_URL must be an http(s) URL")
                    .contains("\"ftp://slack.com/api/\"");
        }
    }

    @Nested
    class CodeProvider {

        @Test
        void theConsoleProviderNeedsNoSignalWireSettings() {
            Settings settings = SettingsLoader.load(Map.of("SLACK_BOT_TOKEN", BOT_TOKEN,
                    "SLACK_SIGNING_SECRET", SIGNING_SECRET, "OTP_PROVIDER", "Console"),
                    directory.resolve("absent.env"));

            assertThat(settings.otpProvider()).isEqualTo(Settings.OtpProvider.CONSOLE);
            assertThat(settings.signalWire()).isEmpty();
            assertThat(settings.approvalPolicy().customCodeText()).isTrue();
        }

        @Test
        void missingSignalWireSettingsPointToTheConsoleProvider() {
            SettingsException thrown = problemsOf(Map.of("SLACK_BOT_TOKEN", BOT_TOKEN,
                    "SLACK_SIGNING_SECRET", SIGNING_SECRET));

            assertThat(thrown.problems()).hasSize(3).allSatisfy(problem ->
                    assertThat(problem).contains("is required", "OTP_PROVIDER=console"));
        }

        @Test
        void anUnknownProviderIsNamed() {
            assertThat(problemsOf(with("OTP_PROVIDER", "twilio")).problems())
                    .containsExactly("OTP_PROVIDER must be signalwire or console (got \"twilio\")");
        }

        @Test
        void aSenderNumberInE164LetsCodesNameThePayment() {
            Settings settings = load(with("SIGNALWIRE_FROM", "+12015550100"));

            assertThat(settings.signalWire().flatMap(Settings.SignalWireSettings::from))
                    .contains("+12015550100");
            assertThat(settings.approvalPolicy().customCodeText()).isTrue();
        }

        @Test
        void aSenderNumberNotInE164IsRefused() {
            assertThat(problemsOf(with("SIGNALWIRE_FROM", "+0123")).problems())
                    .singleElement().asString().startsWith("SIGNALWIRE_FROM must be");
        }

        @Test
        void theSpaceIsAHostOrAnHttpUrl() {
            assertThat(load(with("SIGNALWIRE_SPACE", "http://127.0.0.1:8124")).signalWire())
                    .hasValueSatisfying(signalWire ->
                            assertThat(signalWire.space()).isEqualTo("http://127.0.0.1:8124"));
            assertThat(problemsOf(with("SIGNALWIRE_SPACE", "my space!")).problems())
                    .singleElement().asString().startsWith("SIGNALWIRE_SPACE must be a host");
        }
    }

    @Nested
    class Limits {

        @Test
        void limitsAreReadFromTheirSettings() {
            Settings.Limits limits = load(with("CODE_TTL_SECONDS", "600",
                    "MAX_CODE_ATTEMPTS", "5", "MAX_CODES_PER_USER_PER_HOUR", "4",
                    "MAX_CODES_PER_TEAM_PER_DAY", "90", "NEW_PHONE_HOLD_AMOUNT", "250.50"))
                    .limits();

            assertThat(limits.codeTtl()).isEqualTo(Duration.ofMinutes(10));
            assertThat(limits.maxCodeAttempts()).isEqualTo(5);
            assertThat(limits.maxCodesPerUserPerHour()).isEqualTo(4);
            assertThat(limits.maxCodesPerTeamPerDay()).isEqualTo(90);
            assertThat(limits.newPhoneHoldAmount()).isEqualByComparingTo("250.50");
        }

        @Test
        void aCodeMayLiveAtMostTenMinutes() {
            assertThat(problemsOf(with("CODE_TTL_SECONDS", "601")).problems())
                    .containsExactly("CODE_TTL_SECONDS must be a whole number from 60 to 600 "
                            + "(got \"601\")");
        }

        @Test
        void theHoldAmountMustBeAPlainNonNegativeAmount() {
            SettingsException negative = problemsOf(with("NEW_PHONE_HOLD_AMOUNT", "-1"));
            SettingsException grouped = problemsOf(with("NEW_PHONE_HOLD_AMOUNT", "1,000"));

            assertThat(negative.problems()).singleElement().asString()
                    .startsWith("NEW_PHONE_HOLD_AMOUNT must be a non-negative amount");
            assertThat(grouped.problems()).singleElement().asString()
                    .contains("(got \"1,000\")");
        }

        @Test
        void countriesAreUpperCasedAndEachUnknownOneIsNamed() {
            assertThat(load(with("ALLOWED_COUNTRIES", "gb, ie")).allowedCountries())
                    .containsExactlyInAnyOrder("GB", "IE");
            assertThat(problemsOf(with("ALLOWED_COUNTRIES", "US,XX,ZZ")).problems())
                    .hasSize(2).allSatisfy(problem ->
                            assertThat(problem).startsWith("ALLOWED_COUNTRIES: "));
            assertThat(problemsOf(with("ALLOWED_COUNTRIES", ",")).problems())
                    .containsExactly("ALLOWED_COUNTRIES must list at least one country code, "
                            + "like US,CA,GB");
        }

        @Test
        void adminsAreSlackUserIdsAndEachMalformedOneIsNamed() {
            assertThat(load(with("ADMIN_USER_IDS", "U0123ADMIN, W0456GRID")).adminUserIds())
                    .containsExactlyInAnyOrder("U0123ADMIN", "W0456GRID");
            assertThat(problemsOf(with("ADMIN_USER_IDS", "U0123ADMIN,bob,u0123lower"))
                    .problems()).containsExactly(
                            "ADMIN_USER_IDS: \"bob\" is not a Slack user id (like U024BE7LH)",
                            "ADMIN_USER_IDS: \"u0123lower\" is not a Slack user id "
                                    + "(like U024BE7LH)");
        }
    }

    @Nested
    class DualControl {

        private static final Map<String, String> ON = Map.of(
                "DUAL_CONTROL_THRESHOLDS", "USD:10000,*:5000",
                "APPROVALS_CHANNEL", "C0123APPROVALS",
                "APPROVER_USER_IDS", "U0123FINANCE,U0456FINANCE");

        @Test
        void thresholdsMapEachCurrencyAndTheRestToAnAmount() {
            Settings.DualControl dualControl = load(with(ON)).dualControl();

            assertThat(dualControl.enabled()).isTrue();
            assertThat(dualControl.thresholds()).containsOnlyKeys("USD", "*");
            assertThat(dualControl.thresholds().get("USD")).isEqualByComparingTo("10000");
            assertThat(dualControl.thresholds().get("*")).isEqualByComparingTo("5000");
            assertThat(dualControl.approverUserIds())
                    .containsExactlyInAnyOrder("U0123FINANCE", "U0456FINANCE");
            assertThat(dualControl.approvalsChannel()).contains("C0123APPROVALS");
            assertThat(load(with(ON)).approvalPolicy().dualControl().thresholds())
                    .isEqualTo(dualControl.thresholds());
        }

        @Test
        void currencyCodesMayBeWrittenInLowerCase() {
            Map<String, String> environment = new HashMap<>(ON);
            environment.put("DUAL_CONTROL_THRESHOLDS", "eur:9000.50");

            assertThat(load(with(environment)).dualControl().thresholds())
                    .containsOnlyKeys("EUR");
        }

        @Test
        void eachMalformedThresholdIsNamed() {
            Map<String, String> environment = new HashMap<>(ON);
            environment.put("DUAL_CONTROL_THRESHOLDS", "XYZ:100,USD:,GBP:-5,EUR:1e3,*:5000");

            assertThat(problemsOf(with(environment)).problems()).containsExactly(
                    "DUAL_CONTROL_THRESHOLDS: \"XYZ\" is not a currency code (use entries like "
                            + "USD:10000,EUR:9000,*:10000)",
                    "DUAL_CONTROL_THRESHOLDS: \"USD:\" needs a non-negative amount after the "
                            + "colon, like USD:10000",
                    "DUAL_CONTROL_THRESHOLDS: \"GBP:-5\" needs a non-negative amount after the "
                            + "colon, like USD:10000",
                    "DUAL_CONTROL_THRESHOLDS: \"EUR:1e3\" needs a non-negative amount after the "
                            + "colon, like USD:10000");
        }

        @Test
        void dualControlOnNeedsAChannelAndSomeoneToApprove() {
            SettingsException thrown = problemsOf(with("DUAL_CONTROL_SIGNATURES", "yes"));

            assertThat(thrown.problems()).hasSize(2)
                    .anySatisfy(problem -> assertThat(problem)
                            .startsWith("APPROVALS_CHANNEL is required when dual control is on"))
                    .anySatisfy(problem -> assertThat(problem)
                            .startsWith("APPROVER_USER_IDS or APPROVER_USERGROUP_ID is required"));
        }

        @Test
        void aUserGroupIsEnoughToApprove() {
            Settings.DualControl dualControl = load(with("DUAL_CONTROL_SIGNATURES", "true",
                    "APPROVALS_CHANNEL", "G0123PRIVATE", "APPROVER_USERGROUP_ID", "S0614TZR7"))
                    .dualControl();

            assertThat(dualControl.signatures()).isTrue();
            assertThat(dualControl.approverUsergroupId()).contains("S0614TZR7");
        }

        @Test
        void malformedIdsAndFlagsAreNamed() {
            SettingsException thrown = problemsOf(with("DUAL_CONTROL_SIGNATURES", "maybe",
                    "APPROVER_USER_IDS", "finance", "APPROVER_USERGROUP_ID", "U0123",
                    "APPROVALS_CHANNEL", "#approvals"));

            assertThat(thrown.problems()).containsExactly(
                    "DUAL_CONTROL_SIGNATURES must be true or false (got \"maybe\")",
                    "APPROVER_USER_IDS: \"finance\" is not a Slack user id (like U024BE7LH)",
                    "APPROVER_USERGROUP_ID must be a user group id like S0614TZR7",
                    "APPROVALS_CHANNEL must be a channel id like C0123456789 (in Slack: channel "
                            + "details → About → Channel ID)");
        }

        @Test
        void theSecondApprovalWaitIsReadInSecondsWithinItsRange() {
            assertThat(load(with(ON, "SECOND_APPROVAL_TTL_SECONDS", "3600")).dualControl()
                    .secondApprovalTtl()).isEqualTo(Duration.ofHours(1));
            assertThat(problemsOf(with(ON, "SECOND_APPROVAL_TTL_SECONDS", "299")).problems())
                    .containsExactly("SECOND_APPROVAL_TTL_SECONDS must be a whole number from "
                            + "300 to 604800 (got \"299\")");
        }
    }

    @Nested
    class Webhook {

        private static final String SECRET = "0123456789abcdef0123456789abcdef";

        @Test
        void aUrlAndALongEnoughSecretTurnTheWebhookOn() {
            Settings settings = load(with("APPROVAL_WEBHOOK_URL",
                    "https://payments.internal.example.com/countersign",
                    "APPROVAL_WEBHOOK_SECRET", SECRET));

            assertThat(settings.webhook()).hasValueSatisfying(webhook -> {
                assertThat(webhook.url())
                        .isEqualTo(URI.create("https://payments.internal.example.com/countersign"));
                assertThat(webhook.secret()).isEqualTo(SECRET);
            });
        }

        @Test
        void aSecretWithoutAUrlIsAMistake() {
            assertThat(problemsOf(with("APPROVAL_WEBHOOK_SECRET", SECRET)).problems())
                    .containsExactly(
                            "APPROVAL_WEBHOOK_SECRET is set but APPROVAL_WEBHOOK_URL is not");
        }

        @Test
        void aUrlThatIsNotHttpIsRefused() {
            assertThat(problemsOf(with("APPROVAL_WEBHOOK_URL", "payments.example.com/hook",
                    "APPROVAL_WEBHOOK_SECRET", SECRET)).problems())
                    .singleElement().asString()
                    .startsWith("APPROVAL_WEBHOOK_URL must be an http(s) URL");
        }

        @Test
        void aUrlNeedsASecretOfAtLeastThirtyTwoCharacters() {
            assertThat(problemsOf(with("APPROVAL_WEBHOOK_URL", "https://payments.example.com/",
                    "APPROVAL_WEBHOOK_SECRET", "x".repeat(31))).problems())
                    .singleElement().asString()
                    .startsWith("APPROVAL_WEBHOOK_SECRET is too short")
                    .contains("at least 32 characters").doesNotContain("x".repeat(31));
            assertThat(problemsOf(with("APPROVAL_WEBHOOK_URL", "https://payments.example.com/"))
                    .problems()).singleElement().asString()
                    .startsWith("APPROVAL_WEBHOOK_SECRET is required with APPROVAL_WEBHOOK_URL");
            assertThat(load(with("APPROVAL_WEBHOOK_URL", "https://payments.example.com/",
                    "APPROVAL_WEBHOOK_SECRET", "x".repeat(32))).webhook()).isPresent();
        }

        @Test
        void aPlainHttpWebhookIsRefusedExceptOnThisMachine() {
            assertThat(problemsOf(with("APPROVAL_WEBHOOK_URL", "http://payments.example.com/",
                    "APPROVAL_WEBHOOK_SECRET", SECRET)).problems()).singleElement().asString()
                    .startsWith("APPROVAL_WEBHOOK_URL must be an https:// URL");
            assertThat(load(with("APPROVAL_WEBHOOK_URL", "http://127.0.0.1:8080/hook",
                    "APPROVAL_WEBHOOK_SECRET", SECRET)).webhook()).isPresent();
            assertThat(load(with("APPROVAL_WEBHOOK_URL", "http://localhost:8080/hook",
                    "APPROVAL_WEBHOOK_SECRET", SECRET)).webhook()).isPresent();
        }

        @Test
        void theShippedPlaceholderSecretIsRefused() {
            assertThat(problemsOf(with("APPROVAL_WEBHOOK_URL", "https://payments.example.com/",
                    "APPROVAL_WEBHOOK_SECRET", "generate-with-openssl-rand-hex-32")).problems())
                    .singleElement().asString()
                    .startsWith("APPROVAL_WEBHOOK_SECRET still has the example value");
        }
    }

    @Nested
    class Keys {
        @Test
        void unsetMeansTheKeyFileBesideTheDatabase() {
            assertThat(load(MINIMAL).keys()).isEqualTo(SecretKeys.FROM_FILE);
        }

        @Test
        void aKeyAndPreviousKeysAreRead() {
            SecretKeys keys = load(with("COUNTERSIGN_SECRET_KEY", "ab".repeat(32),
                    "COUNTERSIGN_PREVIOUS_KEYS", "cd".repeat(32) + ", " + "EF".repeat(32))).keys();

            assertThat(keys.current()).hasValue("ab".repeat(32));
            assertThat(keys.previous()).containsExactly("cd".repeat(32), "EF".repeat(32));
            assertThat(keys.toString()).doesNotContain("abab");
        }

        @Test
        void malformedKeysAreNamedWithoutQuotingThem() {
            assertThat(problemsOf(with("COUNTERSIGN_SECRET_KEY", "ab".repeat(31),
                    "COUNTERSIGN_PREVIOUS_KEYS", "cd".repeat(32) + ",not-a-key")).problems())
                    .satisfiesExactly(
                            first -> assertThat(first).startsWith("COUNTERSIGN_SECRET_KEY is not "
                                    + "a key: it must be 64 hex characters")
                                    .doesNotContain("abab"),
                            second -> assertThat(second).startsWith(
                                    "COUNTERSIGN_PREVIOUS_KEYS (entry 2) is not a key")
                                    .doesNotContain("not-a-key"));
        }

        @Test
        void theShippedPlaceholderKeyIsRefused() {
            assertThat(problemsOf(with("COUNTERSIGN_SECRET_KEY",
                    "generate-with-openssl-rand-hex-32")).problems()).singleElement().asString()
                    .startsWith("COUNTERSIGN_SECRET_KEY still has the example value");
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    /** example.env as an operator would fill it in: every placeholder replaced. */
    private static String withPlaceholdersFilledIn(String example) {
        return example.replace("xoxb-your-bot-token", BOT_TOKEN)
                .replace("your-signing-secret", SIGNING_SECRET)
                .replace("your-project-id", "0f1e2d3c-project")
                .replace("your-api-token", SIGNALWIRE_TOKEN);
    }

    private Settings load(Map<String, String> environment) {
        return SettingsLoader.load(environment, directory.resolve("absent.env"));
    }

    private SettingsException problemsOf(Map<String, String> environment) {
        try {
            Settings settings = load(environment);
            throw new AssertionError("expected problems, got " + settings);
        } catch (SettingsException e) {
            return e;
        }
    }

    /** {@link #MINIMAL} with {@code namesAndValues} set over it. */
    private static Map<String, String> with(String... namesAndValues) {
        return with(Map.of(), namesAndValues);
    }

    private static Map<String, String> with(Map<String, String> more, String... namesAndValues) {
        Map<String, String> environment = new HashMap<>(MINIMAL);
        environment.putAll(more);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            environment.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return environment;
    }

    /** The README's configuration rows whose default is one literal value, like {@code `300`}. */
    private static Map<String, String> readmeDefaults() {
        Pattern row = Pattern.compile("^\\| `([A-Z_]+)` \\|.*\\| `([^`]+)` \\|$",
                Pattern.MULTILINE);
        Map<String, String> defaults = new HashMap<>();
        try {
            Matcher matcher = row.matcher(Files.readString(Path.of("README.md")));
            while (matcher.find()) {
                defaults.put(matcher.group(1), matcher.group(2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }
}
