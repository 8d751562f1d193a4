namespace BenchReport.Tests;

public class RateStatsTests
{
    [Fact]
    public void Odd_count_median_is_the_middle_value_whatever_the_order()
    {
        RateStats s = RateStats.Of([3.0, 1.0, 2.0]);

        Assert.Equal(2.0, s.Median);
        Assert.Equal(1.0, s.Min);
        Assert.Equal(3.0, s.Max);
        Assert.Equal(3, s.Count);
    }

    [Fact]
    public void Even_count_median_is_the_mean_of_the_two_middle_values()
    {
        RateStats s = RateStats.Of([4.0, 1.0, 3.0, 2.0]);

        Assert.Equal(2.5, s.Median);
        Assert.Equal(1.0, s.Min);
        Assert.Equal(4.0, s.Max);
    }

    [Fact]
    public void A_single_value_is_its_own_median_min_and_max()
    {
        RateStats s = RateStats.Of([0.7]);

        Assert.Equal((0.7, 0.7, 0.7), (s.Median, s.Min, s.Max));
    }

    [Fact]
    public void Median_resists_one_outlier()
    {
        Assert.Equal(3.8, RateStats.Of([3.8, 0.2, 3.9, 3.7, 9.0]).Median);
    }

    [Fact]
    public void Duplicates_are_counted()
    {
        RateStats s = RateStats.Of([1.0, 1.0, 5.0, 5.0]);

        Assert.Equal(3.0, s.Median);
    }

    [Fact]
    public void No_values_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => RateStats.Of([]));
    }

    [Fact]
    public void Ratio_divides_by_the_baseline()
    {
        Assert.Equal(0.25, RateStats.Ratio(1.0, 4.0));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Ratio_without_a_usable_baseline_is_null(double? baseline)
    {
        Assert.Null(RateStats.Ratio(1.0, baseline));
    }
}
