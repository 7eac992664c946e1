package dev.bulwark.core.ddos;

import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.observe.AttackRecord;

/**
 * One detected attack on a zone, as the admin API and CLI list it. A snapshot: the detector
 * publishes a new one whenever the event changes.
 *
 * @param id            stable id ("zone-1700000000000-1")
 * @param startMillis   when the detector opened the event (wall clock)
 * @param endMillis     when it closed, or 0 while the attack goes on
 * @param peakRate      highest request rate seen during the event, requests/s
 * @param baselineRate  normal request rate when it started, requests/s
 * @param peakSources   most distinct client addresses seen in one tick during the event
 *                      (against {@code baselineSources} normally): tells a botnet from a few hosts
 * @param baselineSources normal distinct client addresses per tick when it started
 * @param signature     what the attack's requests look like (may be empty)
 * @param action        what the temporary rule does, or null when nothing is enforced
 *                      (automatic mitigation off, or no separating signature)
 */
public record AttackEvent(String id, String zoneId, long startMillis, long endMillis, double peakRate,
                          double baselineRate, double peakSources, double baselineSources,
                          Signature signature, RateLimitRuleConfig.Action action) {
    public boolean ongoing() { return endMillis == 0; }

    /** The event as plain data, for {@link dev.bulwark.core.observe.AttackRecorder} and listings. */
    public AttackRecord record() {
        return new AttackRecord(id, zoneId, startMillis, endMillis, peakRate, baselineRate, peakSources, baselineSources,
                signature.toString(), signature.sourcePrefixes(), signature.paths(), signature.methods(), signature.userAgents(),
                action == null ? null : action.name().toLowerCase(java.util.Locale.ROOT));
    }
}
