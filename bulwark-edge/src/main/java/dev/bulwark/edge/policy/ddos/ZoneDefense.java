package dev.bulwark.edge.policy.ddos;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.ddos.AttackDetector;
import dev.bulwark.core.ddos.DetectorSettings;
import dev.bulwark.core.ddos.OriginShield;
import dev.bulwark.core.ddos.TrafficSampler;
import dev.bulwark.core.observe.AttackRecorder;
import dev.bulwark.core.time.Clock;

/**
 * One zone's attack defence: the sampler the logging step feeds, the detector that reads it on
 * every tick, and the origin shield (cap on concurrent origin requests with a short queue,
 * shedding unverified visitors first when the origin fails; only when origin_max_concurrent is set). It outlives config snapshots (the baseline takes minutes to learn), and is
 * rebuilt only when the zone's ddos settings change.
 */
public record ZoneDefense(DdosConfig config, TrafficSampler sampler, AttackDetector detector, OriginShield originShield) {
    /**
     * Requests a zone's sampler holds between ticks: plenty for a signature, about 50 KiB per zone.
     * Split over the sampler's stripes (one per event loop, up to 4): a zone busy on two loops yields up to 512 a tick.
     */
    public static final int SAMPLES = 1024;

    public static ZoneDefense create(String zoneId, DdosConfig config, Clock clock) {
        return create(zoneId, config, clock, AttackRecorder.NONE);
    }

    /** As above, the detector reporting its events to {@code attacks}. */
    public static ZoneDefense create(String zoneId, DdosConfig config, Clock clock, AttackRecorder attacks) {
        TrafficSampler sampler = new TrafficSampler(SAMPLES);
        OriginShield shield = config.originMaxConcurrent() > 0 ? new OriginShield(config.originMaxConcurrent(), config.originQueue(), clock) : null;
        return new ZoneDefense(config, sampler, new AttackDetector(zoneId, config, DetectorSettings.of(config), sampler, clock, attacks), shield);
    }

    /** "Under attack" mode switched on by the detector (when the zone allows it). */
    public boolean underAttack() { return detector.underAttack(); }

    /**
     * How hard the challenge gets (0..4): two levels up while an attack is going on, so each
     * bot request in a flood costs four times the work, while a browser still solves in well under a second.
     */
    public int pressure() { return detector.current().isPresent() ? 2 : 0; }
}
