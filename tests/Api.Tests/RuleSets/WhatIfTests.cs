using LeadML.Api.RuleSets;

namespace LeadML.Api.Tests.RuleSets;

public sealed class WhatIfTests
{
    [Fact]
    public void RocAucIsTheShareOfConvertedNonConvertedPairsRankedRightWithTiesCountingHalf()
    {
        // Pairs (converted, not): (0.9,0.1) (0.9,0.5) (0.5,0.1) right, (0.5,0.5) tie → 3.5 / 4.
        Assert.Equal(0.875, WhatIf.RocAuc([0.9, 0.5, 0.5, 0.1], [true, true, false, false]));
        Assert.Equal(1.0, WhatIf.RocAuc([3, 2, 1], [true, false, false]));
        Assert.Equal(0.0, WhatIf.RocAuc([1, 2, 3], [true, false, false]));
        Assert.Null(WhatIf.RocAuc([1, 2], [true, true]));
    }
}
