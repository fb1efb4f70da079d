package dev.countersign.approval;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An active ISO 4217 currency that money is paid in. Java's {@link java.util.Currency} also knows
 * withdrawn codes (DEM, FRF, HRK…), funds (BOV, CLF…) and metals (XAU): none of those is a payment
 * currency, so the list is our own.
 */
public record CurrencyCode(String code, int fractionDigits) {

    private static final Set<String> ZERO_DECIMALS = Set.of(
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
                    "VUV",
            "XAF", "XOF", "XPF");
    private static final Set<String> THREE_DECIMALS = Set.of(
            "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND");
    private static final String ACTIVE = String.join(" ",
            "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN",
            "BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD",
            "FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY",
            "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP",
            "MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR",
            "RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT",
            "TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER",
            "ZAR ZMW ZWG");
    private static final Map<String, CurrencyCode> BY_CODE = new TreeMap<>();

    static {
        for (String code : ACTIVE.split(" ")) {
            int digits = ZERO_DECIMALS.contains(code) ? 0 : THREE_DECIMALS.contains(code) ? 3 : 2;
            BY_CODE.put(code, new CurrencyCode(code, digits));
        }
    }

    public CurrencyCode {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency code must be three capital letters");
        }
    }

    /** The active currency with this code (any case), if there is one. */
    public static Optional<CurrencyCode> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String trimmed = code.trim();
        // Upper-casing alone would turn "uſd" (long s) or "ınr" (dotless i) into USD and INR.
        if (!trimmed.matches("[A-Za-z]{3}")) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_CODE.get(trimmed.toUpperCase(Locale.ROOT)));
    }

    public static Set<String> codes() {
        return BY_CODE.keySet();
    }

    @Override
    public String toString() {
        return code;
    }
}
