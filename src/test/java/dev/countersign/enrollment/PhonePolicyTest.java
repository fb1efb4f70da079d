package dev.countersign.enrollment;

import dev.countersign.people.PhoneNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.countersign.enrollment.PhoneCheck.Accepted;
import dev.countersign.enrollment.PhoneCheck.Refused;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhonePolicyTest {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final PhonePolicy POLICY = new PhonePolicy(PhonePolicy.DEFAULT_COUNTRIES);

    @Test
    void usNumberIsAcceptedThoughLibphonenumberCannotTellMobileFromFixedLine() throws Exception {
        assertThat(UTIL.getNumberType(UTIL.parse("+12015550123", null)))
                .isEqualTo(PhoneNumberType.FIXED_LINE_OR_MOBILE);

        PhoneNumber phone = accepted("+12015550123");

        assertThat(phone.e164()).isEqualTo("+12015550123");
        assertThat(phone.regionCode()).isEqualTo("US");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 201-555-0123", "+1 (201) 555.0123", "  +12015550123  ",
        "+1\u00A0201\u00A0555\u00A00123", "+1–201–555–0123", "+1-201-555-0123"})
    void separatorsBetweenDigitsAreTolerated(String typed) {
        assertThat(accepted(typed).e164()).isEqualTo("+12015550123");
    }

    @Test
    void canadianNumberIsAccepted() {
        assertThat(accepted(example("CA", PhoneNumberType.MOBILE)).regionCode()).isEqualTo("CA");
    }

    static Stream<Arguments> acceptedTypes() {
        return Stream.of(
                arguments("GB", PhoneNumberType.MOBILE),
                arguments("GB", PhoneNumberType.FIXED_LINE),
                arguments("DE", PhoneNumberType.MOBILE),
                arguments("FR", PhoneNumberType.MOBILE),
                arguments("AU", PhoneNumberType.MOBILE),
                arguments("US", PhoneNumberType.FIXED_LINE_OR_MOBILE));
    }

    @ParameterizedTest
    @MethodSource("acceptedTypes")
    void mobileAndFixedLineNumbersAreAccepted(String region, PhoneNumberType type) {
        String typed = example(region, type);

        PhoneNumber phone = accepted(typed);

        assertThat(phone.e164()).isEqualTo(typed);
        assertThat(phone.regionCode()).isEqualTo(region);
    }

    static Stream<Arguments> refusedTypes() {
        return Stream.of(
                arguments("GB", PhoneNumberType.PREMIUM_RATE, "premium-rate numbers can't receive"),
                arguments("GB", PhoneNumberType.VOIP, "internet (VoIP) numbers can't receive"),
                arguments("US", PhoneNumberType.TOLL_FREE, "toll-free numbers can't receive"),
                arguments("GB", PhoneNumberType.TOLL_FREE, "toll-free numbers can't receive"),
                arguments("DE", PhoneNumberType.SHARED_COST, "shared-cost numbers can't receive"),
                arguments("GB", PhoneNumberType.PERSONAL_NUMBER, "personal forwarding numbers"),
                arguments("GB", PhoneNumberType.PAGER, "pager numbers can't receive"),
                arguments("GB", PhoneNumberType.UAN, "company access numbers (UAN) can't receive"),
                arguments("DE", PhoneNumberType.VOICEMAIL, "voicemail access numbers can't"),
                arguments("US", PhoneNumberType.VOIP, "internet (VoIP) numbers can't receive"));
    }

    @ParameterizedTest
    @MethodSource("refusedTypes")
    void serviceNumbersAreRefusedNamingTheirType(String region, PhoneNumberType type,
                                                 String reason) throws Exception {
        String typed = example(region, type);
        assertThat(UTIL.getNumberType(UTIL.parse(typed, null))).isEqualTo(type);

        assertThat(refused(typed)).contains(reason).doesNotContain(typed.substring(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12015550123", "447400123456", "0044 7400 123456", "(201) 555-0123"})
    void numbersWithoutLeadingPlusAreRefused(String typed) {
        assertThat(refused(typed)).startsWith(
                "Use the international format with a leading +, like +12015550123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+15555550123", "+1 555 555 0123", "+447700900123", "+1", "+",
        "+0123456789", "+999 123 456 789", "+1234567890123456", "+4470", "+1 201 555 01234"})
    void numbersThatAreNotRealPhoneNumbersAreRefused(String typed) {
        assertThat(refused(typed)).startsWith("That isn't a valid phone number");
    }

    @Test
    void reasonsNeverRepeatTheNumber() {
        assertThat(refused("+1 555 555 0199")).doesNotContain("0199");
        assertThat(refused(example("BR", PhoneNumberType.MOBILE))).doesNotContain("961234567");
    }

    @Test
    void countryOutsideTheAllowedSetIsRefusedListingTheAllowedOnes() {
        String reason = refused(example("BR", PhoneNumberType.MOBILE));

        assertThat(reason).isEqualTo("Codes can only be sent to phones in AT, AU, BE, CA, CH,"
                + " DE, DK, ES, FI, FR, GB, IE, IT, NL, NO, NZ, PL, PT, SE, US; this number's"
                + " country is Brazil.");
    }

    @Test
    void numbersOfNoCountryAreRefused() {
        assertThat(refused("+800 1234 5678")).endsWith("this number belongs to no country.");
    }

    @Test
    void operatorsChooseTheCountriesInAnyCase() {
        PhonePolicy ukOnly = new PhonePolicy(Set.of("gb"));

        assertThat(ukOnly.allowedCountries()).containsExactly("GB");
        assertThat(ukOnly.check(example("GB", PhoneNumberType.MOBILE)))
                .isInstanceOf(Accepted.class);
        assertThat(((Refused) ukOnly.check("+12015550123")).reason())
                .isEqualTo("Codes can only be sent to phones in GB; this number's country is"
                        + " United States.");
    }

    @Test
    void policyNeedsKnownCountries() {
        assertThatThrownBy(() -> new PhonePolicy(Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PhonePolicy(Set.of("US", "XX")))
                .hasMessageContaining("'XX'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 800 FLOWERS", "call me", "+1 201 555 0123 ext 5", "+1 2O1 555 0123",
        "+44 7400 123456 (mobile)", "+12015550123 ☎ Zoë"})
    void lettersAreRefused(String typed) {
        assertThat(refused(typed)).isEqualTo(
                "Type the number with digits only: letters can't be part of it.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 201 555 0123 #", "+1/201/555/0123", "++12015550123",
        "+1 201 555 0123;5", "+1\t201 555 0123", "+1 201 555\n0123", "+１２０１５５５０１２３",
        "+12015550123 ☎"})
    void otherCharactersAreRefused(String typed) {
        assertThat(refused(typed)).isEqualTo(
                "After the +, use only digits, spaces, dashes, dots and parentheses.");
    }

    @Test
    void inputLongerThanThirtyTwoCharactersIsRefused() {
        String forty = "+1 201 555 0123" + " ".repeat(10) + "0".repeat(15);

        assertThat(forty).hasSize(40);
        assertThat(refused(forty)).isEqualTo("That is too long to be a phone number.");
        assertThat(refused("+1 " + "9".repeat(100_000))).isEqualTo(
                "That is too long to be a phone number.");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void noNumberIsRefused(String typed) {
        assertThat(refused(typed)).startsWith("Type a phone number in international format");
    }

    @Test
    void randomInputNeverThrows() {
        Random random = new Random(20_240_601L);
        String alphabet = "+0123456789 -.()#*xX\u00A0☎\u202E\n";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder typed = new StringBuilder();
            int length = random.nextInt(36);
            for (int j = 0; j < length; j++) {
                typed.append(random.nextInt(10) == 0
                        ? Character.toString(random.nextInt(Character.MAX_CODE_POINT + 1))
                        : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }

            PhoneCheck check = POLICY.check(typed.toString());

            if (check instanceof Accepted accepted) {
                assertThat(accepted.phone().e164()).matches("\\+[1-9][0-9]{6,14}");
            } else {
                assertThat(((Refused) check).reason()).isNotBlank();
            }
        }
    }

    // --- PhoneNumber ----------------------------------------------------------------------------

    @Test
    void phoneNumberPrintsOnlyTheLastFourDigits() {
        PhoneNumber phone = new PhoneNumber("+12015550123");

        assertThat(phone.toString()).isEqualTo("PhoneNumber[•••• 0123]").doesNotContain("2015550");
        assertThat(phone.masked()).isEqualTo("•••• 0123");
        assertThat(phone.lastFour()).isEqualTo("0123");
        assertThat(new Accepted(phone).toString()).doesNotContain("2015550");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12015550123", "+02015550123", "+123456", "+1234567890123456",
        "+1 201 555 0123", "+1201555012a", ""})
    void phoneNumberMustBeE164AndSaysSoWithoutRepeatingIt(String e164) {
        assertThatThrownBy(() -> new PhoneNumber(e164))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("phone number must be E.164, like +12015550123");
    }

    @Test
    void phoneNumberKnowsItsCountry() {
        assertThat(new PhoneNumber(example("GB", PhoneNumberType.MOBILE)).regionCode())
                .isEqualTo("GB");
        assertThat(new PhoneNumber("+80012345678").regionCode()).isEqualTo("ZZ");
        assertThat(new PhoneNumber("+15555550123").regionCode()).isEqualTo("ZZ");
    }

    // --- helpers --------------------------------------------------------------------------------

    /** libphonenumber's own example of a number of this type, so tests follow its metadata. */
    private static String example(String region, PhoneNumberType type) {
        Phonenumber.PhoneNumber number = UTIL.getExampleNumberForType(region, type);
        assertThat(number).as("example %s %s", region, type).isNotNull();
        return UTIL.format(number, PhoneNumberFormat.E164);
    }

    private static PhoneNumber accepted(String typed) {
        PhoneCheck check = POLICY.check(typed);
        assertThat(check).as("check(%s)", typed).isInstanceOf(Accepted.class);
        return ((Accepted) check).phone();
    }

    private static String refused(String typed) {
        PhoneCheck check = POLICY.check(typed);
        assertThat(check).as("check(%s)", typed).isInstanceOf(Refused.class);
        return ((Refused) check).reason();
    }
}
