using Microsoft.ML.Data;

namespace Slipway.Cli.Quickstart.Training;

/// <summary>One row of the UCI Adult data; column names are the data file's header names.</summary>
#pragma warning disable CA1515 // ML.NET builds its row mapping by reflection and needs a public type.
public sealed class AdultRow
#pragma warning restore CA1515
{
    /// <summary>Age in years.</summary>
    [ColumnName("age")]
    public float Age { get; set; }

    /// <summary>Employer kind, e.g. <c>Private</c>.</summary>
    [ColumnName("workclass")]
    public string Workclass { get; set; } = "";

    /// <summary>Census sampling weight.</summary>
    [ColumnName("fnlwgt")]
    public float Fnlwgt { get; set; }

    /// <summary>Highest education, e.g. <c>Bachelors</c>.</summary>
    [ColumnName("education")]
    public string Education { get; set; } = "";

    /// <summary>Education as a number of years.</summary>
    [ColumnName("education-num")]
    public float EducationNum { get; set; }

    /// <summary>Marital status.</summary>
    [ColumnName("marital-status")]
    public string MaritalStatus { get; set; } = "";

    /// <summary>Occupation.</summary>
    [ColumnName("occupation")]
    public string Occupation { get; set; } = "";

    /// <summary>Relationship within the household.</summary>
    [ColumnName("relationship")]
    public string Relationship { get; set; } = "";

    /// <summary>Race as recorded by the census.</summary>
    [ColumnName("race")]
    public string Race { get; set; } = "";

    /// <summary>Sex as recorded by the census.</summary>
    [ColumnName("sex")]
    public string Sex { get; set; } = "";

    /// <summary>Capital gains in US dollars.</summary>
    [ColumnName("capital-gain")]
    public float CapitalGain { get; set; }

    /// <summary>Capital losses in US dollars.</summary>
    [ColumnName("capital-loss")]
    public float CapitalLoss { get; set; }

    /// <summary>Working hours per week.</summary>
    [ColumnName("hours-per-week")]
    public float HoursPerWeek { get; set; }

    /// <summary>Country of origin.</summary>
    [ColumnName("native-country")]
    public string NativeCountry { get; set; } = "";

    /// <summary>Whether income is above 50K (the data's <c>Salary</c> column is <c>&gt;50K</c>).</summary>
    public bool Label { get; set; }
}
