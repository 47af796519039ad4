package dev.xenon.control;

import java.util.List;

/**
 * The regions Xenon answers to. All of them are this installation; Neon's region ids are kept so that scripts
 * written for Neon run unchanged.
 */
public final class Regions {
    public record Region(String regionId, String name, boolean isDefault) {
        public String platformId() {
            return regionId.substring(0, regionId.indexOf('-'));
        }
    }

    private final List<Region> regions;
    private final Region defaultRegion;

    public Regions(String defaultRegionId) {
        List<String> ids = List.of("aws-us-east-1", "aws-us-east-2", "aws-us-west-2", "aws-eu-central-1",
                "aws-eu-west-2", "aws-ap-southeast-1", "aws-ap-southeast-2", "aws-sa-east-1", "azure-eastus2",
                "azure-westus3", "azure-gwc");
        if (!ids.contains(defaultRegionId)) {
            throw new IllegalArgumentException("unknown default region " + defaultRegionId + "; known: " + ids);
        }
        this.regions = ids.stream().map(id -> new Region(id, "Xenon (" + id + ")", id.equals(defaultRegionId))).toList();
        this.defaultRegion = regions.stream().filter(Region::isDefault).findFirst().orElseThrow();
    }

    public List<Region> all() {
        return regions;
    }

    public Region resolve(String field, String regionId) {
        if (regionId == null) {
            return defaultRegion;
        }
        return regions.stream().filter(r -> r.regionId().equals(regionId)).findFirst()
                .orElseThrow(() -> DomainException.invalid(field + " '" + regionId + "' is not a region of this "
                        + "installation; see GET /regions"));
    }
}
